"""docs/cli.md is the --help of every command; this test keeps it current.

Regenerate with:  REACHMAP_UPDATE_DOCS=1 python -m pytest tests/test_docs_cli.py
"""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from reachmap.cli import app

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
ENV = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def render() -> str:
    runner = CliRunner()
    top = runner.invoke(app, ["--help"], env=ENV, terminal_width=100)
    assert top.exit_code == 0
    parts = [
        "# Command line reference\n",
        "Generated from `--help` (kept current by `tests/test_docs_cli.py`).\n",
        "```",
        top.output.rstrip(),
        "```",
    ]
    commands = sorted(c.name or "" for c in app.registered_commands)
    for name in commands:
        res = runner.invoke(app, [name, "--help"], env=ENV, terminal_width=100)
        assert res.exit_code == 0, res.output
        parts += [f"\n## reachmap {name}\n", "```", res.output.rstrip(), "```"]
    lines = [line.rstrip() for line in "\n".join(parts).splitlines()]
    return "\n".join(lines) + "\n"


def test_cli_doc_is_current() -> None:
    text = render()
    if os.environ.get("REACHMAP_UPDATE_DOCS"):
        DOC.write_text(text, encoding="utf-8")
    assert DOC.read_text(encoding="utf-8") == text, "docs/cli.md is stale; see module docstring"
