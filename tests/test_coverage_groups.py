"""Group rows name their members and the estimate each figure uses; ``reach --targets
countries --vs`` and ``compare`` name what is newly within reach. Checked on real CLI
output against bounds computed independently with GeographicLib (a polygon's distance
from a point lies between the nearest vertex's distance minus half the longest edge and
the nearest vertex's distance)."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from reachmap.cli import main
from reachmap.data import catalog
from reachmap.data.countries import country

KAPUSTIN_YAR = (48.56556, 46.29528)  # lat, lon of the catalog site (a point area)


def _vertices(iso3: str) -> np.ndarray:
    return np.concatenate([np.asarray(r) for poly in country(iso3).polygons for r in poly])


def _distance_bounds_m(lat: float, lon: float, iso3: str) -> tuple[float, float]:
    """(lower, upper) bound of the distance from a point to a country's outline: every
    point of an edge is within half its length of one of its ends."""
    g = Geodesic.WGS84
    longest = 0.0
    nearest = np.inf
    for poly in country(iso3).polygons:
        for ring in poly:
            pts = np.asarray(ring)
            d = [g.Inverse(lat, lon, float(p[1]), float(p[0]))["s12"] for p in pts]
            nearest = min(nearest, min(d))
            nxt = np.roll(pts, -1, axis=0)
            for p, q in zip(pts, nxt, strict=True):
                e = g.Inverse(float(p[1]), float(p[0]), float(q[1]), float(q[0]))["s12"]
                longest = max(longest, e)
    return nearest - longest / 2, nearest


@pytest.fixture(scope="module")
def oreshnik_coverage() -> tuple[dict, str]:
    runs = []
    for fmt in ("json", "table"):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            code = main(["reach", "--from", "Belarus", "--system", "oreshnik", "--targets",
                         "countries", "--limit", "3", "-f", fmt])  # fmt: skip
        assert code == 0
        runs.append(buf.getvalue())
    return json.loads(runs[0]), runs[1]


def test_group_members_partition_and_are_named(oreshnik_coverage) -> None:
    doc, table = oreshnik_coverage
    groups = {g["group"]: g for g in doc["summary"]["groups"]}
    nato = groups["nato"]
    members = set(catalog.group("nato").members_on(doc["summary"]["groups_date"]))
    for sfx in ("", "_high"):
        named = [nato[f"members_{k}{sfx}"] for k in ("full", "partial", "none")]
        assert sorted(sum(named, [])) == sorted(members)  # a partition of the members
        assert [len(n) for n in named] == [nato[k + sfx] for k in ("full", "partial", "none")]
    # The United States lies wholly beyond 5,500 km of Belarus (Alaska is ~6,000 km
    # away); Canada's Arctic islands are within 5,000 km (~3,850 km), its south is not.
    assert nato["members_none_high"] == ["USA"]
    assert "CAN" in nato["members_partial"]
    flat = " ".join(table.split())
    assert "NATO members at the high estimate: partly covered (share of area): Canada (CAN" in flat
    assert "not covered: United States (USA)" in flat
    assert "low = 5,000 km, high = 5,500 km" in flat


def test_reach_countries_vs_names_countries_newly_within(cli) -> None:
    code, out, err = cli("reach", "--from", "Belarus", "--vs", "kapustin-yar", "--range", "1000",
                         "--targets", "countries", "-f", "json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    s = doc["summary"]
    assert s["newly_within"] == s["newly_within_high"]  # one range: both estimates equal
    newly = set(s["newly_within"])
    # Germany and Lithuania: independently beyond 1,000 km of Kapustin Yar (lower bound)
    for iso3 in ("DEU", "LTU"):
        lower, _ = _distance_bounds_m(*KAPUSTIN_YAR, iso3)
        assert lower > 1_000e3
    assert {"DEU", "LTU", "POL"} <= newly
    # ... and within reach from Belarus: some Belarus vertex is within 1,000 km of a
    # German vertex (an upper bound of the distance between the two countries).
    g = Geodesic.WGS84
    blr = _vertices("BLR")
    west = blr[blr[:, 0] < 24.0]
    deu = _vertices("DEU")
    east = deu[deu[:, 0] > 14.0]
    best = min(g.Inverse(p[1], p[0], q[1], q[0])["s12"] for p in west for q in east[::5])
    assert best < 1_000e3
    rows = {r["iso3"]: r for r in doc["countries_changed"]}
    assert rows["DEU"]["status_vs"] == "none" and rows["DEU"]["status_from"] != "none"
    code, out, err = cli("reach", "--from", "Belarus", "--vs", "kapustin-yar", "--range", "1000",
                         "--targets", "countries")  # fmt: skip
    flat = " ".join(out.split())
    assert f"Newly within reach at 1,000 km: {len(newly)} countries:" in flat
    assert "Germany (DEU)" in flat and "Poland (POL)" in flat


def test_reach_vs_needs_countries(cli) -> None:
    code, out, err = cli("reach", "--from", "Belarus", "--vs", "RUS", "--range", "1000")
    assert code == 2
    assert "--vs on reach needs --targets countries" in err and "reachmap compare" in err


def test_compare_names_the_one_place_newly_within(cli) -> None:
    """Belarus vs the whole of Russia at 5,000 km: one capital, Ouagadougou."""
    args = ("compare", "--from", "Belarus", "--vs", "Russia", "--range", "5000",
            "--targets", "capitals")  # fmt: skip
    doc = json.loads(cli(*args, "-f", "json")[1])
    newly = [r for r in doc["targets"] if r["change"] == "newly within reach"]
    assert [r["name"] for r in newly] == ["Ouagadougou"]
    code, out, err = cli(*args)
    assert code == 0, err
    assert "Newly within reach: 1 place (Ouagadougou (BFA)), population" in " ".join(out.split())
    assert "1 places" not in out


def test_compare_says_which_estimate_within_reach_uses(cli) -> None:
    code, out, err = cli("compare", "--from", "Belarus", "--vs", "kapustin-yar", "--system",
                         "oreshnik", "--targets", "capitals", "--in", "nato")  # fmt: skip
    assert code == 0, err
    flat = " ".join(out.split())
    assert (
        "Within reach (5,500 km, high estimate) from Belarus (BLR): 30 places" in flat
    )  # not Washington, Ottawa
    assert "Newly within reach (5,500 km, high estimate): 0 places" in flat
