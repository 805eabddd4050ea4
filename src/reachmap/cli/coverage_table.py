"""The coverage table of ``reachmap reach --targets countries`` (rich), over
:class:`reachmap.analysis.coverage.CoverageResult`."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from reachmap.analysis.coverage import CoverageResult


def render_coverage(console: Console, result: CoverageResult, limit: int = 60) -> None:
    """Rich tables: countries within reach, then group totals."""
    two = result.range.low_m != result.range.high_m
    rows = result.rows()
    table = Table(
        title=f"Countries within reach of {escape(result.area.label)} — "
        f"{escape(result.range.label)}",
        title_justify="left",
    )
    for name, just in [("country", "left"), ("status", "left"), ("area %", "right")]:
        table.add_column(name, justify=just)  # type: ignore[arg-type]
    if two:
        table.add_column("status (high)")
        table.add_column("area % (high)", justify="right")
    for name in ("population within", "nearest km", "farthest km"):
        table.add_column(name, justify="right")
    for r in rows[:limit]:
        cells = [f"{escape(r['name'])} ({r['iso3']})", r["status"], f"{100 * r['area_share']:.1f}"]
        if two:
            cells += [r["status_high"], f"{100 * r['area_share_high']:.1f}"]
        pop = r["population_within_high"] if two else r["population_within"]
        cells += [f"{pop:,}", f"{r['nearest_km']:,.0f}", f"{r['farthest_km']:,.0f}"]
        table.add_row(*cells)
    console.print(table)
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
    groups = Table(title=f"Groups (members on {result.date})", title_justify="left")
    for name in ("group", "members", "full", "partial", "none", "area within km²", "population"):
        groups.add_column(name, justify="left" if name == "group" else "right")
    for g in result.groups:
        sfx = "_high" if two else ""
        groups.add_row(
            escape(g["name"]),
            str(g["members"]),
            str(g["full" + sfx]),
            str(g["partial" + sfx]),
            str(g["none" + sfx]),
            f"{g[f'area_within{sfx}_km2']:,.0f}",
            f"{g['population_within' + sfx]:,}",
        )
    console.print(groups)
    for e in result.envelopes:
        console.print(
            f"[dim]Envelope {e.range_m / 1000:,.0f} km: max vertex error "
            f"{e.max_vertex_error_m:.2g} m, max edge error {e.max_edge_error_m:.2g} m "
            f"(tolerance {e.tolerance_m:g} m).[/dim]"
        )
    for note in result.notes:
        console.print(f"[dim]{escape(note)}.[/dim]")
