"""``reachmap reach --targets countries`` output (with ``--vs``: what changes), thin over
:mod:`reachmap.analysis.coverage` and :mod:`reachmap.analysis.coverage_vs`; the tables
are in :mod:`reachmap.cli.coverage_table`."""

from __future__ import annotations

from pathlib import Path

from reachmap.analysis import queries
from reachmap.analysis.coverage import COLUMNS, CoverageResult
from reachmap.cli.coverage_table import render_change, render_coverage
from reachmap.cli.output import Format, emit
from reachmap.cli.progress import working

CHANGE_COLUMNS = [
    "iso3",
    "name",
    "status_from",
    "status_vs",
    "status_from_high",
    "status_vs_high",
    "area_share_from",
    "area_share_vs",
    "area_share_from_high",
    "area_share_vs_high",
    "nearest_from_km",
    "nearest_vs_km",
]


def emit_coverage(
    cov: CoverageResult,
    vs: list[str],
    in_: str | None,
    all_places: bool,
    limit: int,
    fmt: Format,
    out: Path | None,
    units: str,
) -> None:
    """Write the coverage ``cov``; with ``vs``, the coverage from there too and what
    changes between the two."""
    if vs:
        area = queries.launch_area(vs, "vs")
        with working(f"Coverage of every country — {cov.range.label} from {area.label}") as p:
            change = queries.coverage_change_query(cov, area, in_, p)
        emit(
            fmt,
            out,
            json_data=change.to_json,
            csv_rows=lambda: (change.rows(), CHANGE_COLUMNS),
            table=lambda console: render_change(console, change, units),
            units=units,
        )
        return
    emit(
        fmt,
        out,
        json_data=lambda: cov.to_json(include_none=all_places),
        csv_rows=lambda: (cov.rows(include_none=all_places), COLUMNS),
        table=lambda console: render_coverage(console, cov, limit, units),
        units=units,
    )
