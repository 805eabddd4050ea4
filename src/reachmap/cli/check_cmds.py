"""``reachmap check``: verdicts on the checkable numbers of an article."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from reachmap.claims import checker, html
from reachmap.claims.model import Context
from reachmap.claims.text import decode
from reachmap.cli.app import app
from reachmap.cli.options import FormatOption, FromOption, OutOption, UnitsOption, repeats
from reachmap.cli.output import Format, check_writable, emit, json_in_units, write_text_atomic
from reachmap.errors import TooLarge
from reachmap.io.files import read_input, user_path
from reachmap.words import plural

#: Below this terminal width claims print as blocks instead of a table.
NARROW = 110
#: Longest article read (file or standard input): about 160,000 words, half a minute of
#: checking at the measured 5,000 words a second (docs/claims.md, "Speed").
MAX_ARTICLE_BYTES = 2**20
CLAIM_COLUMNS = ["start", "end", "kind", "verdict", "claim", "explanation", "text"]
_STYLE = {
    "consistent": "green",
    "inconsistent": "bold red",
    "imprecise": "yellow",
    "not_checkable": "dim",
}


def read_article(article: str) -> tuple[str, str]:
    """(text, name) of a file or of standard input ("-")."""
    if article == "-":
        data = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
        if len(data) > MAX_ARTICLE_BYTES:
            raise TooLarge(
                f"standard input is over {MAX_ARTICLE_BYTES // 2**20} MiB; reachmap checks at "
                "most that much text at once (docs/limits.md): split the article"
            )
        return decode(data, name="standard input"), "standard input"
    data = read_input(user_path(article), "article", MAX_ARTICLE_BYTES)
    return decode(data, name=article), article


@app.command("check")
def check_command(
    article: Annotated[str, typer.Argument(help="Text file to check, or - for standard input.")],
    from_: FromOption = [],  # noqa: B006 - typer needs a literal default
    vs: Annotated[
        list[str],
        typer.Option(
            "--vs",
            help="Baseline for forward-basing claims (default: Russia's territory and its "
            "catalog sites).",
            callback=repeats("--vs"),
        ),
    ] = [],  # noqa: B006
    on: Annotated[
        str | None,
        typer.Option(help="Date (YYYY-MM-DD) for NATO/EU membership; default today."),
    ] = None,
    as_html: Annotated[
        bool, typer.Option("--html", help="Write the text with each claim highlighted (HTML).")
    ] = False,
    units: UnitsOption = "km",
    fmt: FormatOption = Format.table,
    out: OutOption = None,
) -> None:
    """Verdicts on the article's checkable claims: consistent, inconsistent, imprecise or
    not checkable, each with the numbers it rests on. --from gives the launch area for
    claims that name none. --units mi|nmi explains measured lengths in that unit (with
    km beside them; the article's own figures are quoted as written)."""
    check_writable(out)
    source, name = read_article(article)
    result = checker.check_text(source, Context(list(from_), list(vs), on, units))
    if as_html:
        page = html.render(source, result, title=f"reachmap check: {name}")
        if out is None:
            print(page, end="")
        else:
            write_text_atomic(out, page)
        return
    emit(
        fmt,
        out,
        json_data=lambda: json_in_units(result.to_json(), units, metre_fields=True),
        csv_rows=lambda: (_rows(source, result), CLAIM_COLUMNS),
        table=lambda console: _table(console, source, result),
    )
    if result.summary()["checked"] == 0 and fmt is not Format.table:
        print(_none_line(result), file=sys.stderr)


def _focus(source: str, c: checker.Claim) -> str:
    start, end = c.focus or (c.start, c.end)
    return " ".join(source[start:end].split())


def _rows(source: str, result: checker.CheckResult) -> list[dict[str, object]]:
    return [{**c.to_json(), "claim": _focus(source, c), "computed": None} for c in result.claims]


def _none_line(result: checker.CheckResult) -> str:
    s = result.summary()
    numbers = s["not_checkable"]
    extra = f"; {plural(numbers, 'number')} listed as not checkable" if numbers else ""
    return f"no checkable claim found in {plural(s['sentences'], 'sentence')}{extra}"


def _table(console: Console, source: str, result: checker.CheckResult) -> None:
    s = result.summary()
    if not result.claims:
        console.print(_none_line(result))
        return
    if console.width < NARROW:
        _blocks(console, source, result)
    else:
        _wide(console, source, result)
    counts = ", ".join(f"{s[v]} {v.replace('_', ' ')}" for v in checker.VERDICTS)
    console.print(
        f"{plural(s['claims'], 'claim')} in {plural(s['sentences'], 'sentence')}: {counts}."
    )
    if s["checked"] == 0:
        console.print(_none_line(result))
    console.print(
        "[dim]Verdicts rest on exact WGS84 distances, the Natural Earth 1:10m outlines, the "
        "sourced catalog and textbook flight physics; --format json gives every number.[/dim]"
    )


def _blocks(console: Console, source: str, result: checker.CheckResult) -> None:
    """One block per claim: readable at 80 columns."""
    for i, c in enumerate(result.claims, 1):
        style = _STYLE[c.verdict]
        console.print(
            f"{i:>3}. [{style}]{c.verdict.replace('_', ' ')}[/{style}] ({c.kind}): "
            f"[bold]{escape(_focus(source, c))}[/bold]"
        )
        console.print(Padding(escape(c.explanation), (0, 0, 0, 5)))


def _wide(console: Console, source: str, result: checker.CheckResult) -> None:
    table = Table(show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("claim", max_width=28)
    table.add_column("kind")
    table.add_column("verdict")
    table.add_column("explanation", ratio=1)
    for i, c in enumerate(result.claims, 1):
        style = _STYLE[c.verdict]
        table.add_row(
            str(i),
            escape(_focus(source, c)),
            c.kind,
            f"[{style}]{c.verdict.replace('_', ' ')}[/{style}]",
            escape(c.explanation),
        )
    console.print(table)
