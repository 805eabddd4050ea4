"""Finding places and systems in a text: countries, regions, groups, catalog sites and
systems, and GeoNames cities, with their character spans.

Matching is a dictionary lookup of every run of one to four capitalised words
(longest first), so a text is scanned in one pass. Country names, codes and
aliases come from :mod:`reachmap.data.countries`, sites and systems from the
catalog (ids, names and aliases), cities from GeoNames through
:func:`reachmap.data.geonames.lookup` (the most populous place of that name, 15,000+
people or a capital). Cities match only a whole capitalised run that is not a
common English word, so "Soviet Union" is not the town of Union and "Most" at the
start of a sentence is not the Czech town. Spelling variants of system names
("Oreshnick") are found by fuzzy matching (difflib ratio >= 0.85) of unknown
capitalised words.

>>> [(m.text, m.kind, m.name) for m in find("Oreshnik missiles in Belarus could reach Rome.")]
[('Oreshnik', 'system', 'Oreshnik'), ('Belarus', 'country', 'Belarus'), ('Rome', 'city', 'Rome')]
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from reachmap.data import catalog, countries, geonames
from reachmap.data.countries import fold_name

#: Region and group names -> region id of :func:`reachmap.data.regions.region`.
REGIONS = {
    "europe": "europe", "asia": "asia", "africa": "africa", "north america": "north-america",
    "south america": "south-america", "oceania": "oceania", "nato": "nato",
    "north atlantic treaty organization": "nato", "eu": "eu", "european union": "eu",
    "european": "europe",
}  # fmt: skip
#: Adjectives of the countries such texts name (the "Belarusian border").
DEMONYMS = {
    "belarusian": "BLR", "belarussian": "BLR", "byelorussian": "BLR", "russian": "RUS",
    "ukrainian": "UKR", "polish": "POL", "lithuanian": "LTU", "latvian": "LVA",
    "estonian": "EST", "finnish": "FIN", "german": "DEU", "french": "FRA", "british": "GBR",
    "italian": "ITA", "spanish": "ESP", "portuguese": "PRT", "swedish": "SWE",
    "norwegian": "NOR", "danish": "DNK", "dutch": "NLD", "belgian": "BEL", "czech": "CZE",
    "slovak": "SVK", "hungarian": "HUN", "romanian": "ROU", "bulgarian": "BGR",
    "greek": "GRC", "turkish": "TUR", "moldovan": "MDA", "american": "USA", "chinese": "CHN",
    "georgian": "GEO", "austrian": "AUT", "swiss": "CHE", "irish": "IRL", "icelandic": "ISL",
    "kazakh": "KAZ", "serbian": "SRB", "croatian": "HRV", "slovenian": "SVN",
    "albanian": "ALB", "icelander": "ISL", "canadian": "CAN", "japanese": "JPN",
}  # fmt: skip
#: Capitalised words that are also GeoNames towns but in running text are English
#: words, titles, months or parts of names ("Soviet Union", "Air Force").
NOT_CITIES = frozenset(
    """most police nice split march may reading union mobile bath sale deal bar born
    mission orange victoria lincoln president minister general army navy force forces air
    ministry defense defence office state states republic federation kingdom city capital
    north south east west central western eastern northern southern strategic missile
    missiles forces treaty article section can of will even just gap hit reach strike
    range ranges hope liberty independence concord energy progress justice trinity
    commerce industry enterprise freedom unity marathon area from pole newton time""".split()
)
#: Abbreviations accepted as country names (ISO-2 codes such as "KM" are too ambiguous).
SHORT_NAMES = frozenset({"US", "USA", "UK", "UAE", "DRC", "PRC", "ROK", "DPRK"})
#: Cities need this many people to count when not a capital (GeoNames 15,000 extract).
MIN_CITY_POPULATION = 15000
_TOKEN = re.compile(r"[0-9A-Za-zÀ-ɏͰ-ϿЀ-ӿ][\w'’\-.]*")
#: Capitalised only because they start a sentence: never the start of a name.
_FUNCTION_WORDS = frozenset(
    """from in the on at to by for with after before since when while a an this that these
    those it its if but and or as of from there here its their his her our we they he she""".split()
)
_CONNECTORS = frozenset({"of", "the", "de", "upon", "am", "del", "di", "la", "le"})


@dataclass(frozen=True)
class Mention:
    """A name found in the text: ``kind`` is country, region, city, site or system.

    ``key`` is the ISO-3 code, the region id, the city name as GeoNames has it, the
    site id or the system id; ``adjective`` marks a demonym ("Belarusian");
    ``fuzzy`` a spelling variant.
    """

    start: int
    end: int
    text: str
    kind: str
    key: str
    name: str
    adjective: bool = False
    fuzzy: bool = False
    lon_deg: float | None = None  # cities and sites: the point
    lat_deg: float | None = None
    country_code: str = ""


@functools.cache
def _system_labels() -> dict[str, str]:
    """Folded name, alias or id of every system -> system id (for fuzzy matching)."""
    out: dict[str, str] = {}
    for s in catalog.systems():
        for label in (s.id, s.name, *s.aliases):
            if len(label) >= 5 and not any(ch.isdigit() for ch in label):
                out[fold_name(label)] = s.id
    return out


def _strip(word: str) -> str:
    for suffix in ("'s", "’s", "'", "’", "."):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _capitalised(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


_Hit = tuple[str, str, str, bool, tuple[float, float, str] | None]


def _lookup(phrase: str, whole_run: bool) -> _Hit | None:
    """(kind, key, display name, adjective, point) for a phrase, or None."""
    if len(phrase) < 2:
        return None
    system = catalog._bundled().lookup("system", phrase)
    if system is not None:
        return "system", system.id, system.name, False, None
    site = catalog.find_site(phrase)
    if site is not None:
        point = (site.lon_deg, site.lat_deg, _iso3(site.country))
        return "site", site.id, site.name, False, point
    folded = fold_name(phrase)
    if folded in REGIONS:
        return "region", REGIONS[folded], phrase, False, None
    if folded in DEMONYMS:
        iso3 = DEMONYMS[folded]
        return "country", iso3, countries.country(iso3).name, True, None
    if phrase[:1].isdigit():
        return None
    country = countries.find_country(phrase)
    short = len(phrase.replace(".", "")) <= 3
    if country is not None and (
        not short
        or phrase.replace(".", "") in SHORT_NAMES
        or (phrase.isupper() and phrase == country.iso3)
    ):
        return "country", country.iso3, country.name, False, None
    if whole_run and folded not in NOT_CITIES and len(folded) > 2:
        rows = geonames.lookup(phrase)
        if len(rows):
            pop = int(rows.population[0])
            is_capital = bool((geonames.capitals().geonameid == rows.geonameid[0]).any())
            if pop >= MIN_CITY_POPULATION or is_capital:
                point = (float(rows.lon_deg[0]), float(rows.lat_deg[0]), str(rows.country_code[0]))
                name = str(rows.name[0])
                return "city", str(int(rows.geonameid[0])), name, False, point
    return None


def find(text: str, offset: int = 0) -> list[Mention]:
    """Every place and system named in ``text``, in order, offsets shifted by ``offset``."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    out: list[Mention] = []
    i = 0
    while i < len(tokens):
        if not _capitalised(tokens[i][2]) or tokens[i][2].lower() in _FUNCTION_WORDS:
            i += 1
            continue
        run_end = i  # last index of this capitalised run (connectors allowed inside)
        while run_end + 1 < len(tokens) and _joined(text, tokens, run_end):
            nxt = tokens[run_end + 1][2]
            if _capitalised(nxt) or (
                nxt.lower() in _CONNECTORS
                and run_end + 2 < len(tokens)
                and _capitalised(tokens[run_end + 2][2])
            ):
                run_end += 1
            else:
                break
        # "Bosnia and Herzegovina", "Trinidad and Tobago": "and" joins only country names.
        if (
            run_end + 2 < len(tokens)
            and tokens[run_end + 1][2] == "and"
            and _capitalised(tokens[run_end + 2][2])
        ):
            phrase = text[tokens[i][0] : tokens[run_end + 2][1]]
            joined = countries.find_country(_strip(phrase))
            if joined is not None:
                end = tokens[i][0] + len(_strip(phrase))
                out.append(
                    Mention(offset + tokens[i][0], offset + end, _strip(phrase), "country",
                            joined.iso3, joined.name, country_code=joined.iso3)
                )  # fmt: skip
                i = run_end + 3
                continue
        k = i
        while k <= run_end:
            found = _longest(text, tokens, k, run_end, offset, whole=(k == i))
            if found is not None:
                out.append(found[0])
                k = found[1] + 1
                continue
            fuzzy = _fuzzy(tokens[k], offset)
            if fuzzy is not None:
                out.append(fuzzy)
            k += 1
        i = run_end + 1
    return out


def _joined(text: str, tokens: list[tuple[int, int, str]], k: int) -> bool:
    """True if token ``k`` and the next are separated by spaces only (no comma or period)."""
    gap = text[tokens[k][1] : tokens[k + 1][0]]
    return gap.strip() == "" and not tokens[k][2].endswith(".")


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _longest(
    text: str,
    tokens: list[tuple[int, int, str]],
    i: int,
    run_end: int,
    offset: int,
    *,
    whole: bool,
) -> tuple[Mention, int] | None:
    for j in range(min(run_end, i + 3), i - 1, -1):
        if tokens[j][2].lower() in _CONNECTORS:
            continue
        start, end = tokens[i][0], tokens[j][1]
        last = tokens[j][2]
        stripped = _strip(last)
        end -= len(last) - len(stripped)
        phrase = text[start:end]
        city_ok = whole and j == run_end and _city_like(phrase, _sentence_start(text, start))
        hit = _lookup(phrase, city_ok)
        if hit is not None:
            kind, key, name, adjective, point = hit
            lon, lat, code = point if point is not None else (None, None, "")
            if kind == "country":
                code = key
            mention = Mention(
                offset + start, offset + end, phrase, kind, key, name, adjective, False,
                lon, lat, code,
            )  # fmt: skip
            return mention, j
    return None


def _city_like(phrase: str, sentence_start: bool) -> bool:
    """A capitalised name (not an acronym), and a single word that starts a sentence
    only if it is not a common word (see :data:`NOT_CITIES`)."""
    letters = [ch for ch in phrase if ch.isalpha()]
    if not letters or all(ch.isupper() for ch in letters):
        return False
    return not (sentence_start and " " not in phrase and fold_name(phrase) in NOT_CITIES)


def _fuzzy(token: tuple[int, int, str], offset: int) -> Mention | None:
    word = _strip(token[2])
    if len(word) < 6 or not word[0].isupper():
        return None
    labels = _system_labels()
    folded = fold_name(word)
    close = difflib.get_close_matches(folded, list(labels), n=1, cutoff=0.85)
    if not close:
        return None
    system = catalog.system(labels[close[0]])
    start = token[0]
    return Mention(
        offset + start, offset + start + len(word), word, "system", system.id, system.name,
        fuzzy=True,
    )  # fmt: skip


def _iso3(code: str) -> str:
    found = countries.find_country(code) if code else None
    return found.iso3 if found is not None else code


def suggestions(name: str) -> list[str]:
    """Country, site and city names that look like ``name`` (for 'not checkable')."""
    every = [c.name for c in countries.countries()] + [s.name for s in catalog.sites()]
    close = difflib.get_close_matches(name, every, n=3, cutoff=0.75)
    for city in geonames.suggest_names(name):
        if city not in close:
            close.append(city)
    return close[:5]
