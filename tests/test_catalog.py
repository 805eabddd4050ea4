"""The sourced catalog: data integrity, lookups, INF classes, validation and CLI."""

from __future__ import annotations

import ast
import csv
import io
import json
import math
import re
from pathlib import Path

import pytest

from reachmap.cli import main
from reachmap.data import catalog
from reachmap.data.catalog import CatalogError, inf_class, load_catalog
from reachmap.errors import InputError

KM = 1000.0
MILE_M = 1609.344  # international mile
ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "catalog.md"
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

REQUIRED_SYSTEMS = [
    "oreshnik",
    "rs-26",
    "iskander-m",
    "9m729",
    "kalibr",
    "kh-101",
    "rsd-10",
    "pershing-2",
    "bgm-109g",
    "tomahawk-iv",
    "lrhw",
    "df-26",
    "hwasong-12",
    # Named in the reporting on Oreshnik's first use and in Belarus (issue 10, part 9).
    "atacms",
    "storm-shadow",
    "iskander-k",
    "polonez",
]
REQUIRED_SITES = ["kapustin-yar", "krychaw", "dnipro", "plesetsk", "dombarovsky", "asipovichy"]


# --- data integrity ---------------------------------------------------------------------------


def test_catalog_is_large_enough_and_has_the_required_entries():
    ids = [s.id for s in catalog.systems()]
    assert len(ids) >= 14
    assert set(REQUIRED_SYSTEMS) <= set(ids)
    site_ids = [s.id for s in catalog.sites()]
    assert len(site_ids) >= 8
    assert set(REQUIRED_SITES) <= set(site_ids)
    assert catalog.site("Kaliningrad Iskander brigade").id == "chernyakhovsk"
    # the exclave itself is not a site: "Kaliningrad" must not silently become one base
    assert catalog.find_site("kaliningrad") is None


@pytest.mark.parametrize("entry", catalog.systems(), ids=lambda s: s.id)
def test_every_number_of_a_system_has_a_source(entry):
    estimates = [entry.range_m, entry.payload_kg, entry.speed_mps, entry.boost]
    for est in filter(None, estimates):
        assert len(est.sources) >= 1
    assert 0 < entry.range_m.low <= entry.range_m.high
    for est in (entry.payload_kg, entry.speed_mps):
        if est is not None:
            assert 0 < est.low <= est.high
    assert entry.propulsion == catalog.CLASS_PROPULSION[entry.system_class]
    assert entry.boost is None or entry.propulsion == "ballistic"


@pytest.mark.parametrize("src", catalog.sources().values(), ids=lambda s: s.id)
def test_every_source_has_publisher_title_date_and_url(src):
    assert src.publisher.strip() and src.title.strip()
    assert src.date == "n.d." or DATE.match(src.date)
    assert src.url.startswith(("https://", "http://"))
    # Verified means the supporting text was seen: it carries a quote. Unverified never does.
    assert bool(src.quote) is src.verified


def test_one_citation_and_one_json_shape_per_source():
    fields = list(catalog.Source.__dataclass_fields__)
    for src in catalog.sources().values():
        assert list(src.as_json()) == fields
        assert catalog.Source(**src.as_json()) == src  # nothing is lost
        text = src.cite()
        assert text.startswith(f"{src.publisher}, “{src.title}”, {src.date}, {src.url}")
        assert text.endswith("[unverified]") is not src.verified
        assert src.url not in src.cite(url=False)
    # the JSON of a reach names the same records
    rng = catalog.system("oreshnik").range_m
    assert json.loads(json.dumps([s.as_json() for s in rng.sources]))[0]["id"] == rng.sources[0].id


# A source id as the catalog writes them ending in its date: "inf-treaty-1987", "ssbcrack-2024-11".
_DATED_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*-(?:1[89]|20)\d\d(?:-\d\d){0,2}$")


def _source_ids_in_code() -> set[str]:
    """Every string literal in the package that has the form of a dated source id.

    Code cites sources.toml by id (``INF_TREATY_SOURCE_ID``, the boost class defaults);
    scanning the source text finds them wherever the modules move.
    """
    found: set[str] = set()
    for path in (ROOT / "src" / "reachmap").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _DATED_ID.match(node.value):
                    found.add(node.value)
    return found


def _source_ids_in_docs() -> set[str]:
    """Dated source ids written in backticks in the docs (`inf-treaty-1987`)."""
    found: set[str] = set()
    for path in (ROOT / "docs").glob("*.md"):
        for token in re.findall(r"`([^`\s]+)`", path.read_text(encoding="utf-8")):
            if _DATED_ID.match(token):
                found.add(token)
    return found


def test_code_finds_the_known_source_constants():
    # The scanner must see the constants it exists for, or the next test proves nothing.
    found = _source_ids_in_code()
    assert catalog.INF_TREATY_SOURCE_ID in found
    assert {"tdia-v2-1950", "wired-nrc-boost-2012", "ssbcrack-2024-11"} <= found


def test_every_source_id_cited_in_code_or_docs_resolves():
    known = set(catalog.sources())
    assert catalog.INF_TREATY_SOURCE_ID in known
    treaty = catalog.sources()[catalog.INF_TREATY_SOURCE_ID]
    assert treaty.verified and "Intermediate-Range" in treaty.title
    assert _source_ids_in_code() - known == set()
    assert _source_ids_in_docs() - known == set()


def test_every_source_is_cited():
    cited = _source_ids_in_code() & set(catalog.sources())
    for entry in catalog.systems():
        cited |= {s.id for s in entry.all_sources}
    for place in catalog.sites():
        cited |= {s.id for s in place.sources}
    for grp in catalog.groups():
        cited |= {s.id for s in grp.sources}
    assert set(catalog.sources()) == cited


def test_verified_sources_say_when_and_unverified_ones_say_why():
    for src in catalog.sources().values():
        if src.verified:
            assert src.quote and src.accessed and DATE.match(src.accessed), src.id
        else:
            assert not src.quote and src.note.strip(), src.id


def _number(text: str) -> float:
    """'5,500' or '5.000' (thousands separators) or '241.4' -> float."""
    if re.fullmatch(r"\d{1,3}([,.]\d{3})+", text):
        return float(re.sub(r"[,.]", "", text))
    return float(text)


# Every figure of the systems added for issue 10, as the cited source words it: (system,
# quantity, bound, value in the catalog unit, source id, regex on the quote with the number as
# group 1, factor from the quoted unit to the catalog unit, tolerance in the catalog unit).
QUOTED_FIGURES = [
    ("oreshnik", "range", "low", 5000.0, "nv-2025-10-31", r"составляет (\d+) километров", 1.0, 0.0),
    ("oreshnik", "range", "low", 5000.0, "unb-2025-12", r"up to ([\d,]+) kilometers", 1.0, 0.0),
    ("oreshnik", "range", "high", 5500.0, "upravda-2024-12-19", r"up to ([\d,]+) km", 1.0, 0.0),
    ("oreshnik", "range", "high", 5500.0, "tsn-2025-10-31", r"у них (\d+)\.", 1.0, 0.0),
    ("oreshnik", "range", "high", 5500.0, "reuters-2025-12-26", r"up to ([\d,]+) km", 1.0, 0.0),
    ("atacms", "range", "low", 165.0, "spacewar-2024-04", r"travel (\d+) kilometers", 1.0, 0.0),
    ("atacms", "range", "high", 300.0, "spacewar-2024-04", r"up to (\d+) kilometers", 1.0, 0.0),
    ("atacms", "range", "high", 300.0, "janes-2023-08", r"firing range of (\d+) km", 1.0, 0.0),
    # "in excess 150 miles": 241.402 km, stored to 0.1 km
    (
        "storm-shadow",
        "range",
        "low",
        241.4,
        "scotsman-2023-05-11",
        r"excess (\d+) miles",
        MILE_M / KM,
        0.05,
    ),
    ("storm-shadow", "range", "high", 560.0, "thenational-2023-05-11", r"about (\d+)km", 1.0, 0.0),
    (
        "storm-shadow",
        "payload",
        "high",
        450.0,
        "thenational-2023-05-11",
        r"weighing (\d+)kg",
        1.0,
        0.0,
    ),
    (
        "iskander-k",
        "range",
        "high",
        500.0,
        "rmf24-2007-05",
        r"przekracza (\d+) kilometrów",
        1.0,
        0.0,
    ),
    ("polonez", "range", "low", 200.0, "udf-2021-02-24", r"50-(\d+)km", 1.0, 0.0),
    ("polonez", "range", "high", 300.0, "belta-2023-11-15", r"bis zu (\d+) Kilometern", 1.0, 0.0),
    ("kinzhal", "range", "high", 2000.0, "jyllandsposten-2018-03", r"op mod ([\d.]+) km", 1.0, 0.0),
]


@pytest.mark.parametrize(
    ("system_id", "quantity", "bound", "value", "source_id", "pattern", "factor", "tol"),
    QUOTED_FIGURES,
    ids=lambda v: v if isinstance(v, str) and "(" not in v else None,
)
def test_catalog_figures_are_the_numbers_in_the_quoted_text(
    system_id, quantity, bound, value, source_id, pattern, factor, tol
):
    entry = catalog.system(system_id)
    estimate, unit = {"range": (entry.range_m, KM), "payload": (entry.payload_kg, 1.0)}[quantity]
    assert estimate is not None
    assert source_id in {s.id for s in estimate.sources}
    src = catalog.sources()[source_id]
    assert src.verified and src.quote
    match = re.search(pattern, src.quote)
    assert match, f"{source_id}: quote lacks {pattern!r}"
    assert _number(match.group(1)) * factor == pytest.approx(value, abs=tol)
    assert getattr(estimate, bound) == pytest.approx(value * unit, abs=1e-9)


@pytest.mark.parametrize(
    ("system_id", "system_class", "propulsion", "country", "inf"),
    [
        ("atacms", "SRBM", "ballistic", "USA", "below INF range"),
        ("storm-shadow", "ALCM", "cruise", "GBR", "shorter-range (INF)"),
        ("iskander-k", "GLCM", "cruise", "RUS", "shorter-range (INF)"),  # 500 km: the band's edge
        ("polonez", "SRBM", "ballistic", "BLR", "below INF range"),
    ],
)
def test_new_systems_load_with_their_class(system_id, system_class, propulsion, country, inf):
    entry = catalog.system(system_id)
    assert (entry.system_class, entry.propulsion, entry.country) == (
        system_class,
        propulsion,
        country,
    )
    assert entry.inf_class == inf
    # No speed was found for the two cruise missiles: none may be invented.
    assert entry.speed_mps is None and entry.boost is None


def test_first_use_of_oreshnik_names_the_systems_it_answered():
    # Putin's address of 21 Nov 2024 named the ATACMS and Storm Shadow strikes.
    address = catalog.sources()["ukrainefrontlines-2024-11"]
    assert "ATACMS" in (address.quote or "") and "Storm Shadow" in (address.quote or "")
    for system_id in ("oreshnik", "atacms", "storm-shadow"):
        assert address in catalog.system(system_id).all_sources


def test_numbers_are_si_units_converted_as_documented():
    assert catalog.system("oreshnik").range_m.high == 5500 * KM
    tomahawk = catalog.system("tomahawk-iv").speed_mps
    assert tomahawk is not None
    assert tomahawk.low == pytest.approx(880 / 3.6) and tomahawk.high == pytest.approx(890 / 3.6)
    lrhw = catalog.system("lrhw").speed_mps
    assert lrhw is not None
    assert lrhw.low == lrhw.high == pytest.approx(5 * catalog.SPEED_OF_SOUND_STRATOSPHERE_MPS)
    # Pershing II: "a range of 1,100 miles" (international mile, 1,609.344 m), to 0.1 km.
    assert catalog.system("pershing-2").range_m.low == pytest.approx(1100 * 1609.344, abs=50.0)


def test_sites_are_where_public_sources_put_them():
    for place in catalog.sites():
        assert -90 <= place.lat_deg <= 90 and -180 <= place.lon_deg <= 180
    # Reference values from docs/REFERENCE.md, to the stated precision (about 0.1 degree).
    assert catalog.site("krychaw").lat_deg == pytest.approx(53.7, abs=0.05)
    assert catalog.site("krychaw").lon_deg == pytest.approx(31.7, abs=0.05)
    assert catalog.site("dnipro").lat_deg == pytest.approx(48.46, abs=0.01)
    assert catalog.site("dnipro").lon_deg == pytest.approx(35.05, abs=0.01)
    # The range's launch area lies ~40 km east of the town (48.6 N, 45.7 E): see its note.
    kap = catalog.site("kapustin-yar")
    assert kap.lat_deg == pytest.approx(48.6, abs=0.1)
    assert 45.7 <= kap.lon_deg <= 46.4


def test_groups_list_members_with_accession_dates():
    nato, eu = catalog.group("NATO"), catalog.group("european union")
    assert len(nato.members) == 32 and len(eu.members) == 27
    assert nato.members["FIN"] == "2023-04-04"
    assert nato.members["SWE"] == "2024-03-07"
    assert "GBR" not in eu.members and eu.members["HRV"] == "2013-07-01"
    assert "SWE" not in nato.members_on("2024-03-06")
    assert "SWE" in nato.members_on("2024-03-07")
    with pytest.raises(InputError):
        nato.members_on("2024")


def test_docs_list_every_system():
    text = DOCS.read_text(encoding="utf-8")
    missing = [s.id for s in catalog.systems() if f"`{s.id}`" not in text]
    assert not missing


# --- lookups ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("oreshnik", "oreshnik"),
        ("OreShnik", "oreshnik"),
        ("Орешник", "oreshnik"),
        ("SS-20", "rsd-10"),
        ("ss20", None),
        ("SSC-8", "9m729"),
        ("dark eagle", "lrhw"),
        ("  Tomahawk  ", "tomahawk-iv"),
        ("Iskander M", "iskander-m"),
        ("9M723", "iskander-m"),
        ("rs_26", "rs-26"),
        ("SCALP-EG", "storm-shadow"),
        ("storm shadow", "storm-shadow"),
        ("MGM-140", "atacms"),
        ("9M728", "iskander-k"),
        ("Полонез", "polonez"),
    ],
)
def test_system_lookup_by_id_name_or_alias_ignores_case(name, expected):
    if expected is None:
        with pytest.raises(InputError):
            catalog.system(name)
    else:
        assert catalog.system(name).id == expected


def test_site_and_group_lookup():
    assert catalog.site("Kapustin Yar").id == "kapustin-yar"
    assert catalog.site("krichev").id == "krychaw"
    assert catalog.site("OSIPOVICHI").id == "asipovichy"
    assert catalog.find_site("Yasny").id == "dombarovsky"
    assert catalog.find_site("atlantis") is None
    assert catalog.group("eu").id == "eu"


@pytest.mark.parametrize(
    ("call", "name", "suggestion"),
    [
        (catalog.system, "oreshnk", "'oreshnik'"),
        (catalog.system, "iskandr", "'Iskander'"),
        (catalog.site, "kapustin", "'kapustin-yar'"),
        (catalog.group, "nto", "'nato'"),
    ],
)
def test_unknown_names_raise_input_error_with_the_closest_name(call, name, suggestion):
    with pytest.raises(InputError, match="unknown") as info:
        call(name)
    message = str(info.value)
    assert "Did you mean" in message and suggestion in message
    assert "\n" not in message


def test_unknown_name_without_close_match_still_says_what_to_do():
    with pytest.raises(InputError, match=r"Run `reachmap systems`"):
        catalog.system("zzzz")


# --- INF classes --------------------------------------------------------------------------


def _treaty_km(pattern: str) -> float:
    """A boundary as written in INF Treaty Article II (quoted in sources.toml)."""
    quote = catalog.sources()[catalog.INF_TREATY_SOURCE_ID].quote or ""
    match = re.search(pattern, quote)
    assert match, f"treaty quote lacks {pattern!r}"
    return float(match.group(1))


def test_inf_constants_match_the_treaty_text():
    shorter_min = _treaty_km(r"equal to or in excess of (\d+) kilometers")
    intermediate_min = _treaty_km(r"capability in excess of (\d+) kilometers but")
    intermediate_max = _treaty_km(r"but not in excess of (\d+) kilometers\. 6\.")
    assert catalog.INF_SHORTER_RANGE_MIN_M == shorter_min * KM == 500 * KM
    assert catalog.INF_INTERMEDIATE_RANGE_MIN_M == intermediate_min * KM == 1000 * KM
    assert catalog.INF_INTERMEDIATE_RANGE_MAX_M == intermediate_max * KM == 5500 * KM


@pytest.mark.parametrize(
    ("range_km", "expected"),
    [
        (0.0, "below INF range"),
        (499.9, "below INF range"),
        (500.0, "shorter-range (INF)"),  # "equal to or in excess of 500 kilometers"
        (1000.0, "shorter-range (INF)"),  # "not in excess of 1000 kilometers"
        (1000.1, "intermediate-range (INF)"),  # "in excess of 1000 kilometers"
        (5500.0, "intermediate-range (INF)"),  # "not in excess of 5500 kilometers"
        (5500.1, "intercontinental"),
        (12000.0, "intercontinental"),
    ],
)
def test_inf_class_boundaries(range_km, expected):
    assert inf_class(range_km * KM) == expected


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0])
def test_inf_class_rejects_impossible_ranges(bad):
    with pytest.raises(InputError, match="range"):
        inf_class(bad)


def test_system_inf_class_uses_the_high_estimate():
    assert catalog.system("oreshnik").inf_class == "intermediate-range (INF)"
    assert catalog.system("rs-26").inf_class == "intercontinental"
    assert catalog.system("iskander-m").inf_class == "shorter-range (INF)"
    # 9M729: Russia's 480 km would be below the band; the high estimate decides.
    assert catalog.system("9m729").inf_class == "intermediate-range (INF)"


# --- validation on load -----------------------------------------------------------------------

SOURCES = """
[[source]]
id = "a"
publisher = "P"
title = "T"
date = "2024-11-21"
url = "https://example.org/a"
verified = true
quote = "up to 500 km"
"""

SYSTEM = """
[[system]]
id = "x"
name = "X"
aliases = ["Ex"]
country = "RUS"
class = "IRBM"
propulsion = "ballistic"
status = "tested"
summary = "s"
[system.range_km]
low = 100.0
high = 200.0
sources = ["a"]
"""


def _load(systems: str = SYSTEM, sources: str = SOURCES, **more: str):
    texts = {"sources.toml": sources, "systems.toml": systems}
    texts.update({f"{k}.toml": v for k, v in more.items()})
    return load_catalog(texts)


def test_valid_minimal_catalog_loads_with_boost_and_mach_speed():
    boost = '[system.boost]\nburn_time_s = 60\nburnout_altitude_km = 80\nburnout_downrange_km = 40\nsources = ["a"]\n'  # noqa: E501
    cat = _load(SYSTEM + boost)
    (entry,) = cat.systems
    assert entry.range_m.low == 100 * KM and entry.boost is not None
    assert entry.boost.burnout_altitude_m == 80 * KM and entry.boost.burn_time_s == 60.0
    glide = SYSTEM.replace('"IRBM"', '"HGV"').replace('"ballistic"', '"glide"')
    speed = '[system.speed_mps]\nlow_kmh = 3600\nhigh_mach = 5\nspeed_of_sound_mps = 300\nsources = ["a"]\n'  # noqa: E501
    (glider,) = _load(glide + speed).systems
    assert glider.speed_mps is not None
    assert (glider.speed_mps.low, glider.speed_mps.high) == (1000.0, 1500.0)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('sources = ["a"]', 'sources = ["nope"]', r"systems\.toml: system 'x'.*unknown source"),
        ("low = 100.0", "low = 300.0", "low 300.0 is greater than high 200.0"),
        ("high = 200.0", "high = -5.0", "positive"),
        ('class = "IRBM"', 'class = "XRBM"', "not one of"),
        ('propulsion = "ballistic"', 'propulsion = "cruise"', "implies propulsion"),
        ('country = "RUS"', 'country = "Russia"', "ISO 3166"),
        ('status = "tested"', 'status = "tested"\nrange = 5', r"unknown field\(s\) \['range'\]"),
        ('id = "x"', 'id = "X Y"', "lowercase slug"),
    ],
)
def test_bad_system_entries_are_rejected_naming_file_and_entry(old, new, message):
    with pytest.raises(CatalogError, match=message):
        _load(SYSTEM.replace(old, new))


def test_duplicate_names_across_entries_are_rejected():
    second = SYSTEM.replace('id = "x"', 'id = "y"').replace('name = "X"', 'name = "Y"')
    with pytest.raises(CatalogError, match="'Ex' of 'y' is also an id, name or alias of 'x'"):
        _load(SYSTEM + second)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('quote = "up to 500 km"', "", "verified source needs the supporting 'quote'"),
        ("verified = true", "verified = false", "unverified source must not carry a quote"),
        ('date = "2024-11-21"', 'date = "21 Nov 2024"', "YYYY-MM-DD"),
        ('url = "https://example.org/a"', 'url = "example.org"', "http"),
    ],
)
def test_bad_sources_are_rejected(old, new, message):
    with pytest.raises(CatalogError, match=rf"sources\.toml: source 'a'.*{message}"):
        _load(sources=SOURCES.replace(old, new))


SITE = """
[[site]]
id = "p"
name = "P"
country = "BLR"
lat = 53.7
lon = 31.7
kind = "reported base"
note = "n"
sources = ["a"]
"""


def test_site_coordinates_and_kind_are_checked():
    (place,) = _load(sites=SITE).sites
    assert (place.lat_deg, place.lon_deg) == (53.7, 31.7)
    with pytest.raises(CatalogError, match=r"sites\.toml: site 'p': lat 91.0 is outside"):
        _load(sites=SITE.replace("lat = 53.7", "lat = 91.0"))
    with pytest.raises(CatalogError, match="kind 'base' is not one of"):
        _load(sites=SITE.replace('"reported base"', '"base"'))


def test_speed_needs_a_stated_speed_of_sound_for_mach_figures():
    cruise = SYSTEM.replace('"IRBM"', '"GLCM"').replace('"ballistic"', '"cruise"')
    speed = '[system.speed_mps]\nvalue_mach = 0.8\nsources = ["a"]\n'
    with pytest.raises(CatalogError, match="speed_of_sound_mps"):
        _load(cruise + speed)
    boost = '[system.boost]\nburn_time_s = 1\nburnout_altitude_km = 1\nburnout_downrange_km = 1\nsources = ["a"]\n'  # noqa: E501
    with pytest.raises(CatalogError, match="ballistic systems only"):
        _load(cruise + boost)


def test_unknown_file_names_are_rejected():
    with pytest.raises(CatalogError, match="site.toml: unknown catalog file"):
        _load(site=SITE)


def test_invalid_toml_names_the_file():
    with pytest.raises(CatalogError, match="systems.toml: invalid TOML"):
        _load("[[system]\n")


# --- command line -------------------------------------------------------------------------------


def test_cli_systems_json_for_one_system_includes_sources(capsys):
    assert main(["systems", "oreshnik", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["id"] == "oreshnik" and data["inf_class"] == "intermediate-range (INF)"
    assert data["range_km"] == {
        "low": 5000.0,
        "high": 5500.0,
        "note": data["range_km"]["note"],
        "sources": [
            "nv-2025-10-31",
            "unb-2025-12",
            "upravda-2024-12-19",
            "tsn-2025-10-31",
            "reuters-2025-12-26",
        ],
    }
    by_id = {s["id"]: s for s in data["sources"]}
    assert set(data["range_km"]["sources"]) <= set(by_id)
    for src in by_id.values():
        assert {"publisher", "title", "date", "url", "verified"} <= set(src)


def test_cli_unknown_system_is_one_line_on_stderr_and_exit_2(capsys):
    assert main(["systems", "nosuch"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "unknown system 'nosuch'" in lines[0]


def test_cli_systems_table_and_csv(capsys):
    assert main(["systems"]) == 0
    out = capsys.readouterr().out
    assert "oreshnik" in out and "INF class" in out
    assert main(["systems", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == len(catalog.systems())
    oreshnik = next(r for r in rows if r["id"] == "oreshnik")
    assert float(oreshnik["range_high_km"]) == 5500.0


def test_cli_system_detail_table_lists_numbers_and_source_urls(capsys):
    assert main(["systems", "Tomahawk", "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert "speed" in out and "inf-treaty-1987" in out and "https://" in out


def test_cli_system_detail_for_atacms_shows_both_figures_and_their_sources(capsys):
    assert main(["systems", "atacms"]) == 0
    out = capsys.readouterr().out
    assert "ATACMS (MGM-140)" in out and "SRBM" in out and "below INF range" in out
    assert "165–300 km" in out
    for source_id in ("spacewar-2024-04", "janes-2023-08"):
        assert source_id in out
    assert main(["systems", "atacms", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["range_km"]["low"], data["range_km"]["high"]) == (165.0, 300.0)
    assert {"spacewar-2024-04", "janes-2023-08"} <= {s["id"] for s in data["sources"]}


def test_cli_systems_rejects_geojson(capsys):
    assert main(["systems", "--format", "geojson"]) == 2
    assert "use one of" in capsys.readouterr().err


def test_cli_sites_geojson_is_a_feature_collection_of_lon_lat_points(capsys):
    assert main(["sites", "--format", "geojson"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(catalog.sites())
    dnipro = next(f for f in data["features"] if f["id"] == "dnipro")
    assert dnipro["geometry"] == {"type": "Point", "coordinates": [35.04611, 48.46444]}
    assert dnipro["properties"]["sources"]


def test_cli_sites_table_and_output_file(tmp_path, capsys):
    assert main(["sites"]) == 0
    assert "kapustin-yar" in capsys.readouterr().out
    target = tmp_path / "sites.csv"
    assert main(["sites", "--format", "csv", "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,name,country,lat,lon,kind,sources"


def test_system_detail_lists_the_inf_treaty_among_its_sources(capsys) -> None:
    assert main(["systems", "oreshnik", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["inf_class_source"] in [s["id"] for s in doc["sources"]]
    assert main(["systems", "oreshnik"]) == 0
    out = capsys.readouterr().out
    url = catalog.sources()["inf-treaty-1987"].url
    assert f"[inf-treaty-1987] {url}" in out.splitlines()  # whole, on one line
