"""``reachmap borders``: neighbours and shared border lengths, with the map scale."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from reachmap.analysis.borders import BordersResult, borders, scale_note
from reachmap.cli.app import app
from reachmap.cli.options import FormatOption, OutOption, UnitsOption, repeats
from reachmap.cli.output import Format, check_writable, emit
from reachmap.cli.tables import Col, print_table
from reachmap.units import fmt_length
from reachmap.words import plural

BORDER_COLUMNS = ["country_iso3", "neighbour_iso3", "neighbour", "length_km", "pieces"]


@app.command("borders")
def borders_command(
    country: Annotated[str, typer.Argument(help="Country: ISO-3 code or name, e.g. BLR.")],
    with_: Annotated[
        list[str],
        typer.Option(
            "--with",
            help="Only the border with this country (repeatable).",
            callback=repeats("--with"),
        ),
    ] = [],  # noqa: B006 - typer needs a literal default
    units: UnitsOption = "km",
    fmt: FormatOption = Format.table,
    out: OutOption = None,
) -> None:
    """Neighbours and shared land-border lengths, measured on the bundled outline."""
    check_writable(out)
    result = borders(country, with_)
    emit(
        fmt,
        out,
        json_data=result.to_json,
        csv_rows=lambda: (
            [{"country_iso3": result.iso3, **b.to_json()} for b in result.borders],
            BORDER_COLUMNS,
        ),
        table=lambda console: _table(console, result, units),
        units=units,
    )


def _table(console: Console, result: BordersResult, units: str = "km") -> None:
    ds = result.dataset
    scale = f"Measured on {ds['name']} {ds['scale']} v{ds['version']} ({ds['point_of_view']})."
    if not result.borders:
        console.print(f"{escape(result.name)} ({result.iso3}) has no land border. {scale}")
        return
    columns = [
        Col("neighbour", "left", number=False),
        Col("", "left", name="ISO-3"),
        Col(f"length {units}", number=False),
        Col("pieces", drop=1),
    ]
    cells = [
        [
            escape(b.neighbour_name),
            b.neighbour_iso3,
            fmt_length(b.length_m, units, 1) if b.length_m > 0 else "no shared border",
            str(b.pieces),
        ]
        for b in result.borders
    ]
    title = f"Land borders of {escape(result.name)} ({result.iso3})"
    print_table(console, columns, cells, title=title)
    n = sum(1 for b in result.borders if b.length_m > 0)
    console.print(
        f"{plural(n, 'neighbour')}, {fmt_length(result.total_m, units, 1)} {units} in all. " + scale
    )
    console.print(scale_note(units))
