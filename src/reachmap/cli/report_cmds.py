"""``reachmap report`` (the HTML report of a scenario) and ``reachmap map`` (one map).

Both check their output (folder or file, PDF renderer) before any work and write
atomically; steps that take a while show a progress display on a terminal.
"""

from __future__ import annotations

import shlex
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from reachmap.cli.app import app
from reachmap.cli.options import FromOption, RangeOption, SystemOption, UnitsOption, repeats
from reachmap.cli.output import check_writable, write_text_atomic
from reachmap.cli.progress import steps_progress
from reachmap.errors import InputError


@app.command("report")
def report_command(
    scenario: Annotated[
        Path | None,
        typer.Argument(help="Scenario file (TOML; docs/report.md). Default: the built-in one."),
    ] = None,
    out: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write (created or replaced).")
    ] = Path("report"),
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Also write report.pdf (needs headless Chromium).")
    ] = False,
    units: Annotated[
        str | None,
        typer.Option(
            "--units",
            help="Unit of the report's lengths: km, mi (1,609.344 m) or nmi (1,852 m); "
            "default: the scenario's [options] units (km).",
        ),
    ] = None,
) -> None:
    """HTML report with maps: what a deployment changes (default: Oreshnik in Belarus)."""
    from reachmap.report import build, facts, write
    from reachmap.report import pdf as pdf_mod
    from reachmap.report import scenario as scenario_mod

    write.check_output(out)
    if pdf:
        pdf_mod.require_chromium()
    from reachmap.units import display_unit, length_label

    units = None if units is None else display_unit(units)
    sc = scenario_mod.load(scenario)
    if units is not None:
        sc = replace(sc, options=replace(sc.options, units=units))
    with steps_progress() as steps:
        data = build.run(sc, steps)
        command = ["reachmap", "report"] + ([str(scenario)] if scenario else [])
        command += [] if out == Path("report") else ["-o", str(out)]
        command += ["--pdf"] if pdf else []
        command += ["--units", units] if units else []
        index = write.write_report(data, out, pdf=pdf, command=shlex.join(command))
    console = Console(soft_wrap=False)
    console.print(f"[bold]{escape(sc.title)}[/bold]")
    what = _targets_label(sc.capitals_of)
    for sr in data.systems:
        console.print(f"{escape(sr.label)}, range {facts.range_text(sr)}")
        for a in sr.areas:
            f = facts.area_facts(a, sc.groups)
            line = f"  {a.name}: {f['named_low']} of {f['named_total']} {what} within "
            line += length_label(sr.range.low_m, sr.unit)
            if facts.two(sr):
                line += f", {f['named_high']} within {length_label(sr.range.high_m, sr.unit)}"
            console.print(escape(line))
        for p in sr.pairs:
            pair = facts.pair_facts(p, data.targets)
            text = facts.pair_sentence(pair, what, facts.two(sr), sr.unit)
            console.print(escape("  " + text))
    console.print(f"Report: {escape(str(index))}")
    if pdf:
        console.print(f"PDF: {escape(str(index.parent / 'report.pdf'))}")


def _targets_label(groups: tuple[str, ...]) -> str:
    names = [{"nato": "NATO", "eu": "EU"}.get(g, g) for g in groups]
    return (" and ".join(names) + " capitals") if names else "named places"


@app.command("map")
def map_command(
    from_: FromOption = [],  # noqa: B006 - typer needs a literal default
    system: SystemOption = None,
    range_: RangeOption = None,
    vs: Annotated[
        list[str],
        typer.Option(
            "--vs",
            help="Draw only what --from reaches and this area does not.",
            callback=repeats("--vs"),
        ),
    ] = [],  # noqa: B006
    minutes: Annotated[
        str | None,
        typer.Option(help="Flight-time contours instead: minutes, comma-separated (5,10,15)."),
    ] = None,
    projection: Annotated[
        str,
        typer.Option(help="aeqd (centred on the launch area), polar or world (Equal Earth)."),
    ] = "aeqd",
    targets: Annotated[
        str, typer.Option(help="Places to label: capitals, a group (nato, eu), none, or a file.")
    ] = "capitals",
    units: UnitsOption = "km",
    out: Annotated[Path | None, typer.Option("--output", "-o", help="map.png or map.svg")] = None,
) -> None:
    """One map: reach (low/high band), flight-time contours (--minutes) or the basing
    difference (--vs), drawn from exact envelopes; PNG or SVG by the file suffix."""
    from reachmap.report import mapcmd

    if out is None:
        raise InputError("give -o map.png or -o map.svg")
    suffix = out.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise InputError(f"-o {str(out)!r}: name the file .png or .svg")
    check_writable(out)
    if not from_:
        raise InputError("no launch area given; use --from AREA (country, site, LAT,LON or file)")
    with steps_progress() as steps:
        content, summary = mapcmd.draw(
            from_, system, range_, vs, minutes, projection, targets, suffix[1:], steps, unit=units
        )
    write_text_atomic(out, content)
    Console(soft_wrap=False).print(f"{escape(summary)}\nWrote {escape(str(out))}.")
