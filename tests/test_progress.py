"""Progress with counts for the slow commands (issue 10, part 8): the library counts
through a callback (:mod:`reachmap.progress`), the command line draws it on a terminal's
stderr only ("... countries 250/250 (100%) 3.1 s"), never on stdout or in JSON. Tested on
real commands, with an injected terminal stream and on a real pseudo-terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import reachmap
from reachmap.analysis import queries
from reachmap.analysis.coverage import coverage_table
from reachmap.cli import main
from reachmap.data import countries

if TYPE_CHECKING:
    from conftest import Cli

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class _Terminal:
    """A stderr that says it is a terminal and keeps what is drawn on it."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> int:
        self.text += s
        return len(s)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def lines(self) -> list[str]:
        """What was drawn, one entry per redraw of the line, without escape codes."""
        return [ANSI.sub("", f).strip() for f in re.split(r"\r|\n", self.text) if f.strip()]


N_COUNTRIES = len(countries.countries())
SLOW = [
    (("reach", "--from", "LTU", "--system", "iskander-m", "--targets", "countries"),
     "Coverage of every country", f"countries {N_COUNTRIES}/{N_COUNTRIES} (100%)"),
    (("envelope", "--from", "BLR", "--vs", "POL", "--range", "300"),
     "What Belarus (BLR) adds to Poland (POL)", "envelopes 2/2 (100%)"),
    (("isochrones", "--from", "kapustin-yar", "--system", "iskander-m", "--minutes", "2,4"),
     "Flight-time contours of iskander-m", "contours 2/2 (100%)"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "label", "count"), SLOW)
def test_counts_on_a_terminal_only(
    cli: Cli,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    label: str,
    count: str,
) -> None:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0 and err == ""  # stderr is not a terminal: nothing drawn
    assert count not in out
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main([*args, "--format", "json"]) == 0
    drawn = [line for line in terminal.lines() if count in line]
    assert drawn, terminal.lines()
    assert drawn[-1][2:].startswith(label), drawn[-1]  # after the spinner
    assert re.search(r" \d+\.\d s$", drawn[-1])  # the elapsed seconds after the count
    assert json.loads(capsys.readouterr().out) == json.loads(out)  # stdout: the same JSON


def test_the_library_counts_every_step_in_order() -> None:
    """Real computations with a recording callback: each count runs from 0 to its
    total without going back; steps without a count have total 0."""
    calls: list[tuple[str, int, int]] = []
    rng = queries.range_spec("iskander-m", None)
    coverage_table(reachmap.area("LTU"), rng, progress=lambda *c: calls.append(c))
    steps = [s for s, _, _ in calls]
    assert list(dict.fromkeys(steps)) == [
        "envelopes", "nearest and farthest points", "places", "countries"
    ]  # fmt: skip
    for step in ("envelopes", "countries"):
        done = [(d, t) for s, d, t in calls if s == step]
        total = done[0][1]
        assert [d for d, _ in done] == list(range(total + 1)) and {t for _, t in done} == {total}
    assert calls[-1] == ("countries", N_COUNTRIES, N_COUNTRIES)
    iso: list[tuple[str, int, int]] = []
    queries.isochrones_query(reachmap.area("kapustin-yar"), "iskander-m", "2,4,60", None,
                             50.0, lambda *c: iso.append(c))  # fmt: skip
    # 60 min is beyond the modelled flight times: left out, and not counted
    assert iso == [("contours", 0, 2), ("contours", 1, 2), ("contours", 2, 2)]


def test_a_real_terminal_gets_the_line_and_stdout_only_the_json(tmp_path: Path) -> None:
    """``reachmap`` in a subprocess with stderr on a pseudo-terminal 60 columns wide and
    stdout on a pipe: the counts are drawn on the terminal, cut to its width (the
    label, not the count), and stdout is exactly the JSON of a run without a terminal."""
    args = ["envelope", "--from", "BLR", "--vs", "POL", "--range", "300", "--format", "json"]
    exe = [sys.executable, "-c", "import sys; from reachmap.cli import main; sys.exit(main())"]
    env = {**os.environ, "COLUMNS": "60", "REACHMAP_THREADS": "1"}
    env["PYTHONPATH"] = str(Path(reachmap.__file__).parents[1])
    plain = subprocess.run([*exe, *args], capture_output=True, env=env, timeout=600, check=True)
    assert plain.stderr == b""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([*exe, *args], stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        drawn += chunk
    out, _ = proc.communicate(timeout=600)
    os.close(leader)
    assert proc.returncode == 0
    assert json.loads(out) == json.loads(plain.stdout)
    lines = [ANSI.sub("", f).strip() for f in re.split(r"\r|\n", drawn.decode()) if f.strip()]
    counted = [line for line in lines if "envelopes 2/2 (100%)" in line]
    assert counted and all(len(line) < 60 for line in lines), lines
    assert "…" in counted[-1]  # the label gave way
