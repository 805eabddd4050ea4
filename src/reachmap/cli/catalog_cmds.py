"""``reachmap systems`` and ``reachmap sites``: the sourced catalog on the command line.

Thin over :mod:`reachmap.data.catalog`: the library stores SI units; this module converts
to km for display and JSON (``range_km``), as the command line contract promises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from reachmap.cli.app import app
from reachmap.cli.options import FormatOption, OutOption, UnitsOption
from reachmap.cli.output import Format, check_writable, emit
from reachmap.cli.tables import Col, print_table
from reachmap.data import catalog
from reachmap.data.catalog import Site, Source, System
from reachmap.data.catalog_json import cited, site_json, sites_geojson, system_json
from reachmap.units import m_to

_CAVEAT = (
    "Public estimates with their sources; where sources disagree both figures are kept. "
    "INF class from the high range estimate (INF Treaty 1987, Art. II; the treaty covered "
    "ground-launched missiles only)."
)


@app.command("systems")
def systems_command(
    name: Annotated[
        str | None, typer.Argument(help="System id, name or alias, e.g. oreshnik or SS-20.")
    ] = None,
    units: UnitsOption = "km",
    fmt: FormatOption = Format.table,
    out: OutOption = None,
) -> None:
    """Publicly reported systems with ranges, speeds and their sources."""
    check_writable(out)
    if name is None:
        entries = catalog.systems()
        emit(
            fmt,
            out,
            json_data=lambda: [system_json(s) for s in entries],
            csv_rows=lambda: ([system_row(s) for s in entries], SYSTEM_COLUMNS),
            table=lambda console: _systems_table(console, entries, units),
            units=units,
        )
        return
    entry = catalog.system(name)
    emit(
        fmt,
        out,
        json_data=lambda: system_json(entry),
        csv_rows=lambda: (_quantity_rows(entry), QUANTITY_COLUMNS),
        table=lambda console: _system_detail(console, entry, units),
        units=units,
    )


@app.command("sites")
def sites_command(fmt: FormatOption = Format.table, out: OutOption = None) -> None:
    """Named public launch sites, bases and reference places, with sources."""
    check_writable(out)
    entries = catalog.sites()
    emit(
        fmt,
        out,
        json_data=lambda: [site_json(s) for s in entries],
        csv_rows=lambda: ([site_row(s) for s in entries], SITE_COLUMNS),
        geojson=lambda: sites_geojson(entries),
        table=lambda console: _sites_table(console, entries),
    )


# --- plain data (JSON, CSV, GeoJSON) ------------------------------------------------------

SYSTEM_COLUMNS = [
    "id",
    "name",
    "country",
    "class",
    "inf_class",
    "propulsion",
    "range_low_km",
    "range_high_km",
    "speed_low_mps",
    "speed_high_mps",
    "status",
    "n_sources",
]
QUANTITY_COLUMNS = ["quantity", "low", "high", "unit", "note", "sources"]
SITE_COLUMNS = ["id", "name", "country", "lat", "lon", "kind", "sources"]


def system_row(entry: System) -> dict[str, Any]:
    """One CSV row summarising a system."""
    speed = entry.speed_mps
    return {
        "id": entry.id,
        "name": entry.name,
        "country": entry.country,
        "class": entry.system_class,
        "inf_class": entry.inf_class,
        "propulsion": entry.propulsion,
        "range_low_km": entry.range_m.low / 1000.0,
        "range_high_km": entry.range_m.high / 1000.0,
        "speed_low_mps": None if speed is None else speed.low,
        "speed_high_mps": None if speed is None else speed.high,
        "status": entry.status,
        "n_sources": len(entry.all_sources),
    }


def _quantities(entry: System) -> list[tuple[str, float, float, str, str, tuple[Source, ...]]]:
    """(quantity, low, high, unit, note, sources) for every number of a system."""
    r = entry.range_m
    rows = [("range", r.low / 1e3, r.high / 1e3, "km", r.note, r.sources)]
    if entry.payload_kg is not None:
        p = entry.payload_kg
        rows.append(("payload", p.low, p.high, "kg", p.note, p.sources))
    if entry.speed_mps is not None:
        v = entry.speed_mps
        rows.append(("speed", v.low, v.high, "m/s", v.note, v.sources))
    if entry.boost is not None:
        b = entry.boost
        alt_km, down_km = b.burnout_altitude_m / 1e3, b.burnout_downrange_m / 1e3
        rows += [
            ("burn time", b.burn_time_s, b.burn_time_s, "s", b.note, b.sources),
            ("burnout altitude", alt_km, alt_km, "km", b.note, b.sources),
            ("burnout downrange", down_km, down_km, "km", b.note, b.sources),
        ]
    return rows


def _quantity_rows(entry: System) -> list[dict[str, Any]]:
    return [
        {
            "quantity": q,
            "low": low,
            "high": high,
            "unit": unit,
            "note": note,
            "sources": " ".join(s.id for s in srcs),
        }
        for q, low, high, unit, note, srcs in _quantities(entry)
    ]


def site_row(entry: Site) -> dict[str, Any]:
    """One CSV row for a site: the JSON fields of :data:`SITE_COLUMNS`, source ids."""
    full = site_json(entry)
    return {**{c: full[c] for c in SITE_COLUMNS}, "sources": " ".join(s.id for s in entry.sources)}


# --- tables ---------------------------------------------------------------------------------


def _cells(*cells: str) -> list[str]:
    """Plain text cells: catalog strings such as "[Report …]" are not markup."""
    return [escape(c) for c in cells]


def _span(low: float, high: float, digits: int = 0) -> str:
    if low == high:
        return f"{high:,.{digits}f}"
    return f"{low:,.{digits}f}–{high:,.{digits}f}"


def _print_table(
    console: Console,
    title: str,
    caption: str,
    columns: Sequence[Col],
    rows: Sequence[Sequence[str]],
) -> None:
    print_table(
        console,
        columns,
        [_cells(*row) for row in rows],
        title=title,
        caption=caption,
        caption_justify="left",
    )


def _systems_table(console: Console, entries: list[System], units: str = "km") -> None:
    columns = (
        Col("id", "left"),
        Col("name", "left", number=False),
        Col("class", "left"),
        Col("INF class", "left", number=False, drop=2),
        Col("propulsion", "left", drop=3),
        Col(f"range {units}"),
        Col("status", "left", number=False, drop=1),
        Col("sources", drop=4),
    )
    rows = [
        (
            s.id,
            s.name,
            s.system_class,
            s.inf_class,
            s.propulsion,
            _span(m_to(s.range_m.low, units), m_to(s.range_m.high, units)),
            s.status,
            str(len(s.all_sources)),
        )
        for s in entries
    ]
    _print_table(console, "Publicly reported systems (sourced catalog)", _CAVEAT, columns, rows)


def _system_detail(console: Console, entry: System, units: str = "km") -> None:
    console.print(
        f"[bold]{escape(entry.name)}[/bold] ({entry.id}) — {entry.country}, {escape(entry.status)}"
    )
    if entry.aliases:
        console.print("Also: " + escape(", ".join(entry.aliases)))
    console.print(
        f"Class {entry.system_class}, {entry.propulsion}; INF class: {entry.inf_class} "
        + escape(f"[{catalog.INF_TREATY_SOURCE_ID}]")
    )
    console.print(escape(entry.summary))
    numbers = []
    for q, low, high, unit, note, srcs in _quantities(entry):
        digits = 0 if unit in ("km", "kg", "s") and high >= 100 else 1
        value = f"{_span(low, high, digits)} {unit}"
        if unit == "km" and units != "km":  # the catalog's km, and the chosen unit
            value += f" = {_span(m_to(low * 1e3, units), m_to(high * 1e3, units), digits)} {units}"
        numbers.append(_cells(q, value, note, ", ".join(s.id for s in srcs)))
    columns: tuple[Col, ...] = (
        Col("quantity", "left", number=False),
        Col("value", number=False),  # "5,000–5,500 km = 3,107–3,418 mi" wraps at the spaces
        Col("note", "left", number=False),
        Col("sources", "left", number=False),
    )
    print_table(console, columns, numbers, title="Numbers", show_lines=True)
    sources = cited(entry)
    refs = [
        _cells(s.id, s.publisher, s.title, s.date, "yes" if s.verified else "no") for s in sources
    ]
    columns = (
        Col("id", "left", number=False),
        Col("publisher", "left", number=False),
        Col("title", "left", number=False),
        Col("date", "left"),
        Col("verified", "left", drop=1),
    )
    print_table(console, columns, refs, title="Sources", show_lines=True)
    # URLs under the table, one a line and whole, so that no cell breaks them
    for s in sources:
        console.print(escape(f"[{s.id}] {s.url}"), soft_wrap=True, highlight=False)
    console.print(escape(_CAVEAT), style="dim")


def _sites_table(console: Console, entries: list[Site]) -> None:
    columns = (
        Col("id", "left"),
        Col("name", "left", number=False),
        Col("country", "left", drop=2),
        Col("lat"),
        Col("lon"),
        Col("kind", "left", number=False, drop=1),
        Col("sources", "left", number=False, drop=3),
    )
    rows = [
        (
            s.id,
            s.name,
            s.country,
            f"{s.lat_deg:.5f}",
            f"{s.lon_deg:.5f}",
            s.kind,
            ", ".join(x.id for x in s.sources),
        )
        for s in entries
    ]
    caption = (
        "Coordinates in degrees, WGS84 (north/east positive). "
        "'reported base' means public reporting places a system there."
    )
    _print_table(console, "Named public places (sourced catalog)", caption, columns, rows)
