"""``reachmap check`` end to end: formats, standard input, HTML, and every bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli

SAMPLE = (
    "Belarus shares a 1,084-kilometer (673-mile) border with Ukraine. "
    "The base is 800 miles (1,500 km) from the coast. In 2024 nothing else happened."
)


def test_json_shape_and_offsets(tmp_path: Path, cli: Cli) -> None:
    article = tmp_path / "a.txt"
    article.write_text(SAMPLE, encoding="utf-8")
    code, out, err = cli("check", str(article), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"claims", "summary"}
    keys = {"text", "start", "end", "kind", "verdict", "explanation", "computed",
            "assumptions", "sources"}  # fmt: skip
    for c in data["claims"]:
        assert set(c) == keys
        assert SAMPLE[c["start"] : c["end"]] == c["text"]
    verdicts = [(c["kind"], c["verdict"]) for c in data["claims"]]
    assert ("units", "consistent") in verdicts and ("units", "inconsistent") in verdicts
    assert data["summary"]["inconsistent"] >= 1


def test_standard_input_and_table() -> None:
    # A real process: stdin is read as bytes.
    proc = subprocess.run(
        [sys.executable, "-c", "from reachmap.cli import main; main()", "check", "-"],
        input=SAMPLE.encode(),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout.decode()
    assert "inconsistent" in text and "1,287 km" in text


def test_html_escapes_and_marks(tmp_path: Path, cli: Cli) -> None:
    article = tmp_path / "a.txt"
    article.write_text("<script>x</script> " + SAMPLE, encoding="utf-8")
    page = tmp_path / "checked.html"
    code, _, err = cli("check", str(article), "--html", "-o", str(page))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<mark class="inconsistent"' in html and '<mark class="consistent"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n ", "is empty"),
        (b"Minsk is \xff\xfe far", "invalid byte 0xff at byte offset 9"),
        (b"PK\x03\x04\x00\x00binary", "NUL byte at byte offset 4"),
    ],
)
def test_unusable_input_exits_2(tmp_path: Path, cli: Cli, data: bytes, message: str) -> None:
    article = tmp_path / "bad.txt"
    article.write_bytes(data)
    code, out, err = cli("check", str(article))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_missing_file_exits_2(cli: Cli) -> None:
    code, _, err = cli("check", "/nonexistent/article.txt")
    assert code == 2 and "does not exist" in err


def test_no_checkable_claim_says_so(tmp_path: Path, cli: Cli) -> None:
    article = tmp_path / "plain.txt"
    article.write_text("Nothing here is a number. Nor here.", encoding="utf-8")
    code, out, _ = cli("check", str(article))
    assert code == 0 and "no checkable claim found in 2 sentences" in out
    code, out, err = cli("check", str(article), "-f", "json")
    assert code == 0 and json.loads(out)["claims"] == [] and "no checkable claim" in err
