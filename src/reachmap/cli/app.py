"""The typer application object shared by the command modules."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="reachmap",
    help=(
        "From a launch area, what can a publicly reported system reach, and how fast? "
        "Exact distances on the WGS84 ellipsoid, sourced catalog numbers."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
