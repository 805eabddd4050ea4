"""The report as one self-contained HTML file: inline CSS, maps embedded as PNG data,
no scripts, no external requests; readable without JavaScript and printable (A4).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reachmap.errors import InputError
from reachmap.report import facts as F
from reachmap.report.build import ReportData, SystemRun
from reachmap.report.style import CSS
from reachmap.units import LENGTH_UNITS_M, fmt_length, length_label


@dataclass(frozen=True)
class MapFile:
    """A drawn map: its title, the files beside the report, and the PNG to embed."""

    key: str
    title: str
    text: str  # what the map shows, in words
    png: bytes  # embedded (256 colours)
    files: tuple[str, ...]  # relative paths (PNG, SVG)
    full_png: bytes = b""  # the PNG file beside the report (lossless)


def esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _table(
    head: Sequence[str],
    rows: Sequence[Sequence[Any]],
    numeric: set[int],
    groups: Sequence[tuple[str, int]] = (),
) -> str:
    out = ["<table>"]
    if groups:
        out.append(
            '<tr class="group">'
            + "".join(f'<th colspan="{n}">{esc(g)}</th>' for g, n in groups)
            + "</tr>"
        )
    out.append(
        "<tr>"
        + "".join(
            f'<th class="{"n" if k in numeric else ""}">{esc(h)}</th>' for k, h in enumerate(head)
        )
        + "</tr>"
    )
    for row in rows:
        cells = []
        for k, v in enumerate(row):
            cls = "n" if k in numeric else ""
            cells.append(f'<td class="{cls}">{v if isinstance(v, Raw) else esc(v)}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


class Raw(str):
    """Already-escaped HTML."""


def _signed(x: float, digits: int) -> str:
    """+1.2 / -3 / 0 (no "-0.0" for a change that rounds to nothing)."""
    text = f"{x:+,.{digits}f}"
    return text[1:] if float(text.replace(",", "")) == 0 else text


def _pct(x: float) -> str:
    return f"{100 * x:.0f} %" if x >= 0.005 else ("< 1 %" if x > 0 else "0")


def _group_name(gid: str) -> str:
    return {"nato": "NATO", "eu": "EU"}.get(gid, gid)


# ----------------------------------------------------------------------- sections


def headline(data: ReportData, sr: SystemRun) -> str:
    """The answer at a glance: named targets within reach from each basing, what each
    comparison changes (in words), and the counts table."""
    sc = data.scenario
    what = _targets_label(data)
    parts = [
        f'<div class="headline"><p><strong>{esc(sr.label)}, range {esc(F.range_text(sr))}'
        f"</strong> ({esc(_sources_short(sr))}).</p><ul>"
    ]
    for a in sr.areas:
        f = F.area_facts(a, sc.groups)
        parts.append(f"<li>{esc(_area_sentence(f, sr, what))}</li>")
    parts.append("</ul>")
    for p in sr.pairs:
        sentence = F.pair_sentence(F.pair_facts(p, data.targets), what, F.two(sr), sr.unit)
        parts.append(f"<p>{esc(sentence)}</p>")
    parts.append("</div>")
    parts.append(_counts_table(data, sr))
    return "\n".join(parts)


def _counts_table(data: ReportData, sr: SystemRun) -> str:
    sc = data.scenario
    cols: list[tuple[str, str]] = [
        ("Countries", "countries"),
        ("Capitals", "capitals"),
        ("People in places", "population"),
    ]
    cols += [(f"{_group_name(g)} members", g) for g in sc.groups]
    head = ["Launch area", "Role"] + [label for label, _ in cols]
    numeric = set(range(2, len(head)))
    rows = []
    for a in sr.areas:
        f = F.area_facts(a, sc.groups)
        row: list[Any] = [a.name, a.role]
        for _, key in cols:
            lo, hi = f.get(f"{key}_low"), f.get(f"{key}_high", 0)
            if lo is None:
                row.append("–")
                continue
            if key == "population":
                cell = f"{lo / 1e6:,.0f} M" + (f" / {hi / 1e6:,.0f} M" if F.two(sr) else "")
            elif key in sc.groups:
                cell = f"{lo} / {hi} of {f[key + '_members']}" if F.two(sr) else f"{lo}"
            else:
                cell = f"{lo:,}" + (f" / {hi:,}" if F.two(sr) else "")
            row.append(cell)
        rows.append(row)
    est = " Each cell: low / high estimate." if F.two(sr) else ""
    note = (
        '<p class="note">Fully or partly within reach, other than the country the launch area '
        f"lies in.{est} People: inhabitants of GeoNames places of "
        f"{sc.options.min_population:,} or more within reach. Group members on "
        f"{esc(data.date)}.</p>"
    )
    return _table(head, rows, numeric) + note


def _targets_label(data: ReportData) -> str:
    groups = [_group_name(g) for g in data.scenario.capitals_of]
    return (" and ".join(groups) + " capitals") if groups else "named places"


def _sources_short(sr: SystemRun) -> str:
    if sr.system is None:
        return "range given in the scenario"
    return "; ".join(f"{s.publisher}, {s.date}" for s in sr.system.range_m.sources)


def _area_sentence(f: dict[str, Any], sr: SystemRun, what: str) -> str:
    lo, hi = length_label(sr.range.low_m, sr.unit), length_label(sr.range.high_m, sr.unit)
    text = f"{f['launch_area']}: {f['named_low']} of {f['named_total']} {what} within {lo}"
    if F.two(sr):
        text += f", {f['named_high']} within {hi}"
    if "named_fastest_s" in f:
        text += (
            f"; {f['named_profile']} flight times from {F.mmss(f['named_fastest_s'])} "
            f"({f['named_fastest']}), median {F.mmss(f['named_median_s'])}"
        )
    return text + "."


def maps_section(maps: Sequence[MapFile]) -> str:
    out = []
    for m in maps:
        data = base64.b64encode(m.png).decode("ascii")
        links = " · ".join(
            f'<a href="{esc(f)}">{esc(f.rsplit(".", 1)[-1].upper())}</a>' for f in m.files
        )
        out.append(
            f'<figure id="map-{esc(m.key)}">'
            f'<img alt="{esc(m.title)}: {esc(m.text)}" src="data:image/png;base64,{data}">'
            f"<figcaption>{esc(m.text)} Files: {links}.</figcaption></figure>"
        )
    return "\n".join(out)


def capitals_section(data: ReportData, sr: SystemRun) -> str:
    rows = F.capitals_rows(sr, data.targets)
    profiles = [p for p in sr.profiles if p]
    head = ["Capital", "Country"]
    groups: list[tuple[str, int]] = [("", 2)]
    numeric = set()
    for a in sr.areas:
        cols = [sr.unit] + profiles + (["rotating"] if a.rotating_s is not None else [])
        groups.append((a.name, len(cols)))
        for c in cols:
            head.append(c)
            numeric.add(len(head) - 1)
    body = []
    for r in rows:
        row: list[Any] = [r["name"], r["country_code"]]
        for a in sr.areas:
            d = r[f"{a.spec.id}:distance_km"]
            row.append(
                "inside"
                if d == 0
                else fmt_length(d * 1e3, sr.unit)
                + ("" if r[f"{a.spec.id}:status"] != "beyond" else " ✕")
            )
            for prof in profiles:
                row.append(F.mmss(r.get(f"{a.spec.id}:{prof}_s")))
            if a.rotating_s is not None:
                row.append(F.mmss(r.get(f"{a.spec.id}:rotating_s")))
        body.append(row)
    out = [
        "<h3>Distance and flight time from each basing</h3>",
        _table(head, body, numeric, groups),
        f'<p class="note">{sr.unit}: exact distance to the nearest point of the launch area; '
        "✕ beyond the high "
        "range estimate. Times in min:s, boost phase included; – where the model gives none.</p>",
        _profile_notes(sr, profiles),
    ]
    if sr.pairs:
        head2 = ["Capital", "Country"]
        groups2: list[tuple[str, int]] = [("", 2)]
        numeric2 = set()
        keys = [f"{p.deployed.spec.id}-vs-{p.baseline.spec.id}" for p in sr.pairs]
        # a "newly within" column only for comparisons where some target is
        newly = {k: any(r[f"{k}:newly_within"] for r in rows) for k in keys}
        for p, key in zip(sr.pairs, keys, strict=True):
            cols = [f"Δ {sr.unit}", "min saved"] + (["newly within"] if newly[key] else [])
            groups2.append((f"{p.deployed.name} vs {p.baseline.name}", len(cols)))
            for c in cols:
                head2.append(c)
                numeric2.add(len(head2) - 1)
        body2 = []
        for r in rows:
            row = [r["name"], r["country_code"]]
            for key in keys:
                saved = r[f"{key}:minutes_saved"]
                row += [
                    f"{_signed(r[f'{key}:change_km'] * 1e3 / LENGTH_UNITS_M[sr.unit], 0)}",
                    "–" if saved is None else _signed(saved, 1),
                ]
                if newly[key]:
                    row.append(
                        Raw('<span class="yes">yes</span>') if r[f"{key}:newly_within"] else ""
                    )
            body2.append(row)
        out += [
            "<h3>What the basing changes</h3>",
            _table(head2, body2, numeric2, groups2),
            f'<p class="note">Δ {sr.unit}: distance from the deployed area minus from the baseline '
            "(negative: closer). Minutes saved: "
            f"{esc(profiles[0] if profiles else '')} flight time from the baseline minus from "
            "the deployed area (positive: faster). Newly within (shown where any is): within "
            "the high estimate only from the deployed area.</p>",
        ]
    return "\n".join(out)


def coverage_section(data: ReportData, sr: SystemRun) -> str:
    rows = F.coverage_rows(sr, data.scenario.groups, data.date)
    head = ["Country"]
    groups: list[tuple[str, int]] = [("", 1)]
    numeric = set()
    for a in sr.areas:
        groups.append((a.name, 2 if F.two(sr) else 1))
        head.append("low")
        numeric.add(len(head) - 1)
        if F.two(sr):
            head.append("high")
            numeric.add(len(head) - 1)
    body = []
    for r in rows:
        row: list[Any] = [f"{r['name']} ({r['iso3']})"]
        for a in sr.areas:
            row.append(_pct(r[f"{a.spec.id}:share"]))
            if F.two(sr):
                row.append(_pct(r[f"{a.spec.id}:share_high"]))
        body.append(row)
    groups_label = " and ".join(_group_name(g) for g in data.scenario.groups)
    return (
        f"<p>Share of each {esc(groups_label)} member's territory within reach (ellipsoidal area) "
        "from each launch area, at the low and the high estimate. Every country of the world "
        "is in "
        f"the CSV files beside this report (coverage-*.csv).</p>"
        + _table(head, body, numeric, groups)
    )


def flight_section(sr: SystemRun) -> str:
    rows = F.flight_table(sr)
    if not rows:
        return "<p>No flight model for this system.</p>"
    profiles = [k.split(":")[0] for k in rows[0] if k.endswith(":time_s")]
    head = ["Ground range"]
    numeric = {0}
    for prof in profiles:
        head += [f"{prof} time", f"{prof} apogee"]
        numeric |= {len(head) - 2, len(head) - 1}
    body = []
    notes = []
    for r in rows:
        ground = length_label(r["ground_range_km"] * 1e3, sr.unit)
        row: list[Any] = [ground]
        for prof in profiles:
            ok = r[f"{prof}:valid"]
            row += [
                F.mmss(r[f"{prof}:time_s"]) if ok else "–",
                F.km(r[f"{prof}:apogee_km"], sr.unit) if ok else "–",
            ]
            if r[f"{prof}:notes"]:
                notes.append(f"{ground}, {prof}: {r[f'{prof}:notes']}")
        body.append(row)
    note = "".join(f"<li>{esc(n)}</li>" for n in dict.fromkeys(notes))
    return (
        _table(head, body, numeric)
        + _profile_notes(sr, profiles)
        + (f'<ul class="note">{note}</ul>' if note else "")
    )


def _profile_notes(sr: SystemRun, profiles: Sequence[str]) -> str:
    """What the lofted and depressed columns mean (extreme bounds, not normal flights)."""
    from reachmap.flight.times import profile_note

    notes = [n for p in profiles if (n := profile_note(p, sr.system, None, sr.unit)) is not None]
    return "".join(f'<p class="note">{esc(n[0].upper() + n[1:])}.</p>' for n in notes)


def sources_section(data: ReportData) -> str:
    from reachmap.data import catalog

    items = []
    seen = set()
    for sr in data.systems:
        if sr.system is not None:
            for s in sr.system.all_sources:
                if s.id not in seen:
                    seen.add(s.id)
                    items.append((f"{sr.system.name}", s))
    for spec in data.scenario.areas:
        for text in spec.specs:
            site = catalog.find_site(text)
            if site is not None:
                for s in site.sources:
                    if s.id not in seen:
                        seen.add(s.id)
                        items.append((site.name, s))
    for g in data.scenario.groups + data.scenario.capitals_of:
        try:
            grp = catalog.group(g)
        except InputError:  # a country code in capitals_of
            continue
        for s in grp.sources:
            if s.id not in seen:
                seen.add(s.id)
                items.append((grp.name, s))
    lis = []
    for what, s in items:
        verified = "" if s.verified else " (not verified by reachmap)"
        lis.append(
            f"<li><strong>{esc(what)}</strong>: {esc(s.publisher)}, “{esc(s.title)}”, "
            f"{esc(s.date)}, "
            f'<a href="{esc(s.url)}">{esc(s.url)}</a>{esc(verified)}'
            + (f'<br><span class="note">{esc(s.note)}</span>' if s.note else "")
            + "</li>"
        )
    return "<ol>" + "\n".join(lis) + "</ol>"


def document(
    data: ReportData,
    maps: Sequence[MapFile],
    versions: list[tuple[str, str]],
    command: str,
    files: Sequence[str],
) -> str:
    sc = data.scenario
    body = [f"<h1>{esc(sc.title)}</h1>"]
    if sc.notes:
        body.append(f'<p class="lede">{esc(sc.notes)}</p>')
    body.append(
        f'<p class="meta">reachmap report · scenario {esc(sc.source)} · group membership on '
        f"{esc(data.date)} · geography and textbook physics of publicly reported systems; "
        "no effects, accuracy, defences or targeting.</p>"
    )
    sections = [
        "Headline numbers",
        "Maps",
        "Capitals",
        "Country coverage",
        "Flight profiles",
        "Assumptions",
        "Sources",
        "Data versions",
        "How to reproduce",
    ]
    body.append(
        "<nav><ol>"
        + "".join(f'<li><a href="#s{k}">{esc(s)}</a></li>' for k, s in enumerate(sections))
        + "</ol></nav>"
    )
    body.append('<h2 id="s0" class="keep">Headline numbers</h2>')
    body += [headline(data, sr) for sr in data.systems]
    body.append('<h2 id="s1">Maps</h2>')
    body.append(maps_section(maps))
    body.append('<h2 id="s2">Capitals</h2>')
    body += [capitals_section(data, sr) for sr in data.systems]
    body.append('<h2 id="s3">Country coverage</h2>')
    body += [coverage_section(data, sr) for sr in data.systems]
    body.append('<h2 id="s4">Flight profiles</h2>')
    for sr in data.systems:
        body.append(
            f"<p>{esc(sr.label)}: total flight time and apogee for a few ground ranges, "
            "by trajectory profile.</p>"
        )
        body.append(flight_section(sr))
    body.append('<h2 id="s5">Assumptions</h2>')
    sr0 = data.systems[0]
    body.append(
        "<ul>"
        + "".join(
            f"<li>{esc(a)}</li>"
            for a in F.assumptions(sr0, sc.options.tolerance_m, sc.options.min_population)
        )
        + "</ul>"
    )
    for sr in data.systems:
        for n in sr.isochrone_notes:
            body.append(f'<p class="note">{esc(n)}.</p>')
    body.append('<h2 id="s6">Sources</h2>')
    body.append(sources_section(data))
    body.append('<h2 id="s7">Data versions</h2>')
    body.append(_table(["Component", "Version"], versions, set()))
    body.append('<h2 id="s8">How to reproduce</h2>')
    body.append(
        "<p>With reachmap installed from PyPI (offline once installed), this command writes "
        "the same report:</p>"
        f"<pre>{esc(command)}</pre>"
        '<p>The scenario file used is <a href="scenario.toml">scenario.toml</a> beside this '
        "page:</p>"
        f"<pre>{esc(sc.text)}</pre>"
        "<p>Files beside this report:</p><ul>"
        + "".join(f'<li><a href="{esc(f)}">{esc(f)}</a></li>' for f in files)
        + "</ul>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(sc.title)}</title><style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
