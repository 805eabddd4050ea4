"""The coverage tables of ``reachmap reach --targets countries`` (rich), over
:class:`reachmap.analysis.coverage.CoverageResult` (and, with ``--vs``,
:class:`reachmap.analysis.coverage_vs.CoverageChange`)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from reachmap.analysis.coverage import FULL, NONE, PARTIAL, CoverageResult
from reachmap.analysis.coverage_vs import CoverageChange
from reachmap.cli.tables import Col, print_table
from reachmap.units import fmt_length, length_label
from reachmap.words import plural


def render_coverage(
    console: Console, result: CoverageResult, limit: int = 60, units: str = "km"
) -> None:
    """Rich tables: countries within reach, then group totals by estimate, each group's
    members named by status."""
    two = result.range.low_m != result.range.high_m
    rows = result.rows()
    columns = [Col("country", "left", number=False), Col("status", "left"), Col("area\n%")]
    if two:
        columns += [Col("status\n(high)", "left"), Col("area %\n(high)")]
    columns += [
        Col("population\nwithin" + ("\n(high)" if two else "")),
        Col(f"nearest\n{units}", drop=2),
        Col(f"farthest\n{units}", drop=1),
    ]
    cells = []
    for r in rows[:limit]:
        row = [f"{escape(r['name'])} ({r['iso3']})", r["status"], f"{100 * r['area_share']:.1f}"]
        if two:
            row += [r["status_high"], f"{100 * r['area_share_high']:.1f}"]
        pop = r["population_within_high"] if two else r["population_within"]
        row += [
            f"{pop:,}",
            fmt_length(r["nearest_km"] * 1000, units),
            fmt_length(r["farthest_km"] * 1000, units),
        ]
        cells.append(row)
    title = (
        f"Countries within reach of {escape(result.area.label)} — "
        f"{escape(result.range.label_in(units))}"
    )
    print_table(console, columns, cells, title=title, title_justify="left")
    if len(rows) > limit:
        console.print(f"… and {len(rows) - limit} more (use --format json/csv -o FILE)")
    s = result.summary()
    console.print(
        f"Within (low estimate): {s['countries_full']} full, {s['countries_partial']} partial; "
        f"area {s['area_within_km2']:,.0f} km²; population in places {s['population_within']:,}"
    )
    if two:
        console.print(
            f"Within the high estimate: {s['countries_full_high']} full, "
            f"{s['countries_partial_high']} partial; area {s['area_within_high_km2']:,.0f} km²; "
            f"population in places {s['population_within_high']:,}"
        )
    _groups(console, result, units)
    for e in result.envelopes:
        console.print(
            f"[dim]Envelope {length_label(e.range_m, units)}: max vertex error "
            f"{e.max_vertex_error_m:.2g} m, max edge error {e.max_edge_error_m:.2g} m "
            f"(tolerance {e.tolerance_m:g} m).[/dim]"
        )
    for note in result.notes:
        console.print(f"[dim]{escape(note.rstrip('.'))}.[/dim]")


def _estimates(result: CoverageResult, units: str) -> list[tuple[str, str]]:
    """(column suffix, label) of each range estimate the coverage was computed for."""
    rng = result.range
    if rng.low_m == rng.high_m:
        return [("", length_label(rng.high_m, units))]
    return [("", "low"), ("_high", "high")]


def _groups(console: Console, result: CoverageResult, units: str) -> None:
    """Group totals, one row per group and estimate, then the members by status."""
    estimates = _estimates(result, units)
    rng = result.range
    title = f"Groups (members on {result.date})"
    if len(estimates) == 2:
        title += (
            f"; low = {length_label(rng.low_m, units)}, high = {length_label(rng.high_m, units)}"
        )
    columns = [
        Col("group", "left", number=False),
        Col("estimate", "left"),
        Col("members", drop=2),  # = full + partial + none
        Col("full"),
        Col("partial"),
        Col("none"),
        Col("area within\nkm²", drop=1),
        Col("population"),
    ]
    cells = []
    for g in result.groups:
        for k, (sfx, label) in enumerate(estimates):
            cells.append(
                [
                    escape(g["name"]) if k == 0 else "",
                    label,
                    str(g["members"]),
                    str(g["full" + sfx]),
                    str(g["partial" + sfx]),
                    str(g["none" + sfx]),
                    f"{g[f'area_within{sfx}_km2']:,.0f}",
                    f"{g['population_within' + sfx]:,}",
                ]
            )
    print_table(console, columns, cells, title=title, title_justify="left")
    by_iso = {r["iso3"]: r for r in result.table}
    for g in result.groups:
        for sfx, label in estimates:
            parts = []
            partial = [
                f"{by_iso[m]['name']} ({m}, {_percent(by_iso[m]['area_share' + sfx])})"
                for m in g[f"members_{PARTIAL}{sfx}"]
            ]
            parts.append(f"partly covered (share of area): {', '.join(partial) or 'none'}")
            none = [f"{by_iso[m]['name']} ({m})" for m in g[f"members_{NONE}{sfx}"]]
            parts.append(f"not covered: {', '.join(none) or 'none'}")
            full = g[f"members_{FULL}{sfx}"]
            parts.append(f"fully covered: {len(full)} ({', '.join(full) or 'none'})")
            at = f"the {label} estimate" if len(estimates) == 2 else label
            console.print(escape(f"{g['name']} at {at}: " + "; ".join(parts) + "."))


def _percent(share: float) -> str:
    """A share of area as a percentage, with enough decimals that a partly covered
    country never reads 100% (nor 0%).

    >>> _percent(0.0921), _percent(0.99996), _percent(1.0)
    ('9%', '99.996%', '100%')
    """
    for digits in range(4):
        text = f"{100 * share:.{digits}f}"
        if 0 < share < 1 and float(text) in (0.0, 100.0):
            continue
        return text + "%"
    return f"{100 * share:.4f}%"


def render_change(console: Console, change: CoverageChange, units: str = "km") -> None:
    """Countries whose coverage differs between --from and --vs, then each estimate's
    newly covered countries by name."""
    s = change.summary()
    rng = change.first.range
    estimates = change.estimates()
    title = (
        f"Coverage from {escape(s['from'])} vs {escape(s['vs'])} — {escape(rng.label_in(units))}"
    )
    columns = [Col("country", "left", number=False)]
    for _, name in estimates:
        word = f"\n({name})" if len(estimates) == 2 else ""
        columns += [Col("from" + word, "left"), Col("vs" + word, "left")]
    columns += [Col(f"nearest\n{units} from"), Col(f"nearest\n{units} vs")]
    rows = change.rows()
    table = []
    for r in rows:
        cells = [f"{escape(r['name'])} ({r['iso3']})"]
        for sfx, _ in estimates:
            cells += [r["status_from" + sfx], r["status_vs" + sfx]]
        cells += [
            fmt_length(r["nearest_from_km"] * 1000, units),
            fmt_length(r["nearest_vs_km"] * 1000, units),
        ]
        table.append(cells)
    if rows:
        print_table(console, columns, table, title=title, title_justify="left")
    else:
        console.print("No country's coverage differs between the two launch areas.")
    names = {r["iso3"]: r["name"] for r in change.first.table}
    for sfx, name in estimates:
        label = length_label(rng.low_m if sfx == "" else rng.high_m, units)
        at = f"the {name} estimate ({label})" if len(estimates) == 2 else label
        for key, word in (
            ("newly_within", "Newly within reach"),
            ("newly_full", "Newly fully covered"),
            ("no_longer_within", "Within reach from the reference area only"),
        ):
            codes = s[key + sfx]
            if not codes and key == "no_longer_within":
                continue
            listed = ", ".join(f"{names[c]} ({c})" for c in codes) or "none"
            count = plural(len(codes), "country", "countries")
            console.print(escape(f"{word} at {at}: {count}: {listed}."))
    console.print(
        "[dim]newly within reach: no part within reach from --vs, some part from --from; "
        "newly fully covered: fully covered from --from only.[/dim]"
    )
