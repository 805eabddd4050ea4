"""Terminal output (issue 10, part 8): every table fits 80 columns without cutting or
wrapping a number, URLs stay whole, counts have the right plural, and slow commands
show progress on a terminal's stderr only (tests/test_progress.py). All on real command
output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rich.cells import cell_len

if TYPE_CHECKING:
    from conftest import Cli

#: A number as the tables print it: digits with separators, signs, ranges and clocks.
_NUMBER = re.compile(r"[-+]?\d(?:[\d,.:–]*\d)?(?:e[-+]\d+)?")
_URL = re.compile(r"\S*://\S+")


def _run(cli: Cli, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, err = cli(*args)
    assert code == 0, err
    return out


def _too_wide(text: str, width: int) -> list[str]:
    """Lines wider than ``width``, except one that is wide only because of a whole URL."""
    bad = []
    for line in text.splitlines():
        w = cell_len(line.rstrip())
        urls = _URL.findall(line)
        if w > width and not (urls and w - max(len(u) for u in urls) <= 30):
            bad.append(line)
    return bad


def _numbers(text: str) -> set[str]:
    return set(_NUMBER.findall(text))


def _json(cli: Cli, *args: str) -> object:
    code, out, err = cli(*args, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


def test_systems_and_sites_fit_80_with_every_range_and_coordinate(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _run(cli, monkeypatch, 80, "systems")
    assert not _too_wide(out, 80)
    assert "…" not in out  # nothing cut with an ellipsis
    tokens = _numbers(out)
    for s in _json(cli, "systems"):  # type: ignore[union-attr]
        lo, hi = s["range_km"]["low"], s["range_km"]["high"]
        assert (f"{hi:,.0f}" if lo == hi else f"{lo:,.0f}–{hi:,.0f}") in tokens, s["id"]
    assert "Left out at 80 columns:" in out  # and says which columns went
    out = _run(cli, monkeypatch, 80, "sites")
    assert not _too_wide(out, 80) and "…" not in out
    tokens = _numbers(out)
    for s in _json(cli, "sites"):  # type: ignore[union-attr]
        assert f"{s['lat']:.5f}" in tokens and f"{s['lon']:.5f}" in tokens, s["id"]


def test_system_detail_keeps_urls_whole(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _run(cli, monkeypatch, 80, "systems", "oreshnik")
    assert not _too_wide(out, 80)
    lines = out.splitlines()
    for src in _json(cli, "systems", "oreshnik")["sources"]:  # type: ignore[index]
        assert any(src["url"] in line for line in lines), src["id"]
    assert "5,000–5,500" in _numbers(out)


def test_flight_tables_fit_80_and_keep_every_number(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("flight", "--from", "kapustin-yar", "--to", "Dnipro", "--to", "London")
    args += ("--system", "oreshnik")
    out = _run(cli, monkeypatch, 80, *args)
    assert not _too_wide(out, 80)
    tokens = _numbers(out)
    rows = _json(cli, *args)
    assert len(rows) == 6  # type: ignore[arg-type]
    for r in rows:  # type: ignore[union-attr]
        assert _clock(r["time_s"]) in tokens
        assert f"{r['apogee_km']:,.0f}" in tokens
        assert f"{r['burnout_speed_mps']:,.0f}" in tokens
    lines = out.splitlines()
    urls = [u for line in lines for u in _URL.findall(line)]
    assert urls and all(u.startswith("http") for u in urls)  # none broken over two lines


def test_reach_and_coverage_fit_80(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("reach", "--from", "Belarus", "--system", "oreshnik", "--targets", "capitals")
    out = _run(cli, monkeypatch, 80, *args, "--limit", "300")
    assert not _too_wide(out, 80)
    tokens = _numbers(out)
    rows = _json(cli, *args)["targets"]  # type: ignore[index]
    shown = [r for r in rows if r["distance_km"] > 0]
    assert len(shown) > 90
    for r in shown:
        assert f"{r['population']:,}" in tokens and f"{r['distance_km']:,.1f}" in tokens
        assert _clock(r["flight_time_s"]) in tokens or r["flight_time_s"] is None

    args = ("reach", "--from", "LTU", "--system", "iskander-m", "--targets", "countries")
    out = _run(cli, monkeypatch, 80, *args, "--limit", "300")
    assert not _too_wide(out, 80)
    tokens = _numbers(out)
    data = _json(cli, *args)
    for r in data["countries"]:  # type: ignore[index]
        assert f"{r['population_within']:,}" in tokens, r["iso3"]
        assert f"{100 * r['area_share']:.1f}" in tokens, r["iso3"]
    for g in data["summary"]["groups"]:  # type: ignore[index]
        assert f"{g['population_within']:,}" in tokens


def test_compare_fits_80_and_is_one_line_a_row_at_100(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("compare", "--from", "Belarus", "--vs", "kapustin-yar", "--system", "oreshnik")
    out80 = _run(cli, monkeypatch, 80, *args, "--limit", "300")
    assert not _too_wide(out80, 80)
    rows = _json(cli, *args)["targets"]  # type: ignore[index]
    tokens = _numbers(out80)
    for r in rows:
        assert f"{r['distance_from_km']:,.0f}" in tokens and f"{r['distance_vs_km']:,.0f}" in tokens
        assert _clock(r["flight_time_from_s"]) in tokens or r["flight_time_from_s"] is None
    out100 = _run(cli, monkeypatch, 100, *args, "--limit", "300")
    assert not _too_wide(out100, 100)
    body = [line for line in out100.splitlines() if line.startswith("│")]
    assert len(body) == len(rows)  # one line per place, nothing wrapped
    assert "Left out" not in out100  # every column fits at 100
    tokens = _numbers(out100)
    for r in rows:
        assert f"{r['distance_change_km']:+,.0f}" in tokens
        saved = r["minutes_saved"]
        assert saved is None or f"{saved:+.1f}" in tokens


def test_envelope_isochrones_borders_area_check_fit_80(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for args in (
        ("envelope", "--from", "Belarus", "--system", "oreshnik"),
        ("isochrones", "--from", "kapustin-yar", "--system", "iskander-m", "--minutes", "2,4"),
        ("envelope", "--from", "Belarus", "--range", "500,1000"),  # a ring set
    ):
        out = _run(cli, monkeypatch, 80, *args, "--format", "table")
        assert not _too_wide(out, 80)
        tokens = _numbers(out)
        for f in _json(cli, *args)["features"]:  # type: ignore[index]
            assert f"{f['range_km']:,.1f}" in tokens
            assert f"{f['max_vertex_error_m']:.2g}" in tokens
    args = ("reach", "--from", "Belarus", "--range", "500,1000,2000", "--targets", "capitals")
    out = _run(cli, monkeypatch, 80, *args)
    assert not _too_wide(out, 80)
    for b in _json(cli, *args)["bands"]:  # type: ignore[index]
        assert f"{b['population']:,}" in _numbers(out)
    out = _run(cli, monkeypatch, 80, "borders", "BLR")
    assert not _too_wide(out, 80)
    for b in _json(cli, "borders", "BLR")["borders"]:  # type: ignore[index]
        assert f"{b['length_km']:,.1f}" in _numbers(out)
    out = _run(cli, monkeypatch, 80, "area", "Belarus", "--format", "table")
    assert not _too_wide(out, 80)
    article = tmp_path / "a.txt"
    article.write_text(
        "Oreshnik, with a range of 5,500 km, can reach London from Belarus in 8 minutes. "
        "The Belarus-Ukraine border is 1,084 kilometres long.",
        encoding="utf-8",
    )
    out = _run(cli, monkeypatch, 80, "check", str(article))
    assert not _too_wide(out, 80)


@pytest.mark.parametrize(
    ("spec", "range_km", "expected"),
    [("0,0", "10", "0 places"), ("Belarus", "10", "1 place,"), ("Belarus", "30", "2 places")],
)
def test_counts_have_the_right_plural(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, spec: str, range_km: str, expected: str
) -> None:
    # Minsk lies inside Belarus; Vilnius is 27.8 km from it; nothing is near 0,0.
    out = _run(cli, monkeypatch, 80, "reach", "--from", spec, "--range", range_km, "--targets",
               "capitals")  # fmt: skip
    assert f"Within {range_km} km: {expected}" in out
    assert "1 places" not in out


def test_area_counts_in_words(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _run(cli, monkeypatch, 80, "area", "0,0", "--format", "table")
    assert "0 polygons, 1 point, 1 vertex," in out
    out = _run(cli, monkeypatch, 80, "area", "Belarus", "--format", "table")
    assert "1 polygon, 0 points, 1,172 vertices" in out


def test_no_count_is_glued_to_a_plural_noun_in_the_source() -> None:
    """Counts go through reachmap.words.plural: an f-string such as "{n} places" prints
    "1 places"."""
    nouns = "places|claims|sentences|capitals|vertices|polygons|points|members|numbers|fields"
    # a constant ({MAX_VERTICES:,}) is never 1, and a name ({_group_name(g)}) no count
    glued = re.compile(r"\{(?![A-Z_]+[:}])(?![^{}]*name\()[^{}]*\} (?:" + nouns + r")\b")
    src = Path(__file__).resolve().parents[1] / "src" / "reachmap"
    found = [
        f"{p.relative_to(src)}:{i}"
        for p in src.rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if glued.search(line)
    ]
    assert not found
