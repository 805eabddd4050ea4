"""``--units km|mi|nmi`` on real command output, against independent values: lengths
summed edge by edge with GeographicLib's own Python implementation and the unit
definitions (international mile 1,609.344 m, 1959; nautical mile 1,852 m, 1929), not
reachmap's conversion table."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic

from reachmap.data.countries import country
from reachmap.units import display_unit, fmt_length, length_label

#: metres per unit, by definition (written out here, independent of reachmap.units)
MILE_M = 1609.344
NAUTICAL_MILE_M = 1852.0


def _shared_length_m(a: str, b: str) -> float:
    """The shared border of two countries, summed edge by edge (GeographicLib)."""

    def edges(iso3: str) -> set[tuple[tuple[float, float], tuple[float, float]]]:
        out = set()
        for poly in country(iso3).polygons:
            for ring in poly:
                pts = [tuple(map(float, p)) for p in np.asarray(ring)]
                for p, q in zip(pts, pts[1:] + pts[:1], strict=True):
                    if p != q:
                        out.add((min(p, q), max(p, q)))
        return out

    g = Geodesic.WGS84
    return sum(g.Inverse(p[1], p[0], q[1], q[0])["s12"] for p, q in edges(a) & edges(b))


def test_belarus_ukraine_border_in_miles_and_nautical_miles(cli) -> None:
    ref_m = _shared_length_m("BLR", "UKR")
    for unit, metres, expected in (("mi", MILE_M, "535.3"), ("nmi", NAUTICAL_MILE_M, "465.2")):
        code, out, err = cli("borders", "BLR", "--with", "UKR", "--units", unit)
        assert code == 0, err
        assert f"length {unit}" in out
        # printed to 0.1 unit, the same rounding of the independent value
        assert f"{ref_m / metres:,.1f}" == expected
        assert re.search(rf"Ukraine\s+.*UKR.*\s{expected}\s", out), out
        assert f"{expected} {unit} in all" in out
    # the official figure quoted in the scale note, converted: 1,084 km = 673.6 mi
    assert f"{1_084_000 / MILE_M:.1f}" == "673.6"
    code, out, _ = cli("borders", "BLR", "--with", "UKR", "--units", "mi")
    assert "1,084 km = 673.6 mi officially" in " ".join(out.split())


def _without(doc: Any, unit: str) -> Any:
    """A JSON document with what --units adds taken out again."""
    if isinstance(doc, dict):
        return {
            k: _without(v, unit)
            for k, v in doc.items()
            if k != "units" and not k.endswith(f"_{unit}")
        }
    if isinstance(doc, list):
        return [_without(v, unit) for v in doc]
    return doc


def test_json_keeps_every_field_and_adds_the_unit(cli) -> None:
    args = ("borders", "BLR", "--format", "json")
    base = json.loads(cli(*args)[1])
    doc = json.loads(cli(*args, "--units", "nmi")[1])
    assert doc["units"] == "nmi"
    assert _without(doc, "nmi") == base  # nothing renamed, nothing changed
    for b in doc["borders"]:
        # 1e-9 relative: one float division each way
        assert b["length_nmi"] * NAUTICAL_MILE_M == pytest.approx(b["length_m"], rel=1e-12)
    assert doc["total_length_nmi"] * NAUTICAL_MILE_M == pytest.approx(
        doc["total_length_m"], rel=1e-12
    )


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_round_trip_in_miles(cli) -> None:
    """reach CSV in miles, read back and converted to metres, equals the km CSV."""
    args = ("reach", "--from", "Belarus", "--range", "800", "--targets", "capitals", "-f", "csv")
    km = _csv(cli(*args)[1])
    code, out, err = cli(*args, "--units", "mi")
    assert code == 0, err
    mi = _csv(out)
    assert out.splitlines()[0].split(",")[5] == "distance_mi"  # the header names the unit
    assert "distance_km" not in mi[0]
    assert [r["name"] for r in mi] == [r["name"] for r in km] and len(km) >= 5
    for a, b in zip(km, mi, strict=True):
        # both columns are full-precision floats: they agree to a micrometre
        assert float(b["distance_mi"]) * MILE_M == pytest.approx(
            float(a["distance_km"]) * 1000, abs=1e-6
        )


def test_reach_table_in_miles_matches_geographiclib(cli) -> None:
    """From a point launch area, the printed distances are GeographicLib's, in miles."""
    code, out, err = cli("reach", "--from", "53.9,27.5667", "--range", "700mi", "--targets",
                         "capitals", "--units", "mi")  # fmt: skip
    assert code == 0, err
    assert "700 mi from" in out and "Within 700 mi:" in out
    doc = json.loads(cli("reach", "--from", "53.9,27.5667", "--range", "700mi", "--targets",
                         "capitals", "-f", "json")[1])  # fmt: skip
    g = Geodesic.WGS84
    checked = 0
    for t in doc["targets"]:
        if t["distance_km"] == 0:
            continue
        ref_m = g.Inverse(53.9, 27.5667, t["lat"], t["lon"])["s12"]
        cell = f"{ref_m / MILE_M:,.1f}"
        assert re.search(rf"{re.escape(t['name'])}.*\s{re.escape(cell)}\s", out), (t, cell)
        assert ref_m <= 700 * MILE_M
        checked += 1
    assert checked >= 5


def test_compare_and_coverage_headers_follow_the_unit(cli) -> None:
    code, out, err = cli("compare", "--from", "Belarus", "--vs", "kapustin-yar", "--range",
                         "1000nmi", "--targets", "capitals", "--units", "nmi")  # fmt: skip
    assert code == 0, err
    assert "— 1,000 nmi" in out
    # the headers of the distance columns are two lines: "nmi" over "from", "vs"; "Δ" over "nmi"
    head = [line for line in out.splitlines() if line.startswith("┃")]
    assert [c.strip() for c in head[0].split("┃")[3:6]] == ["nmi", "nmi", "Δ"]
    assert [c.strip() for c in head[1].split("┃")[3:6]] == ["from", "vs", "nmi"]
    assert " km" not in "".join(head)
    code, out, err = cli("compare", "--from", "Belarus", "--vs", "kapustin-yar", "--range",
                         "1000nmi", "--targets", "capitals", "-f", "csv",
                         "--units", "nmi")  # fmt: skip
    header = out.splitlines()[0].split(",")
    assert {"distance_from_nmi", "distance_vs_nmi", "distance_change_nmi"} <= set(header)


def test_bad_unit_is_one_line(cli) -> None:
    code, out, err = cli("borders", "BLR", "--units", "ft")
    assert code == 2 and out == ""
    assert err.strip() == "reachmap: error: unknown unit 'ft' for --units; use one of: km, mi, nmi"


def test_display_helpers() -> None:
    assert display_unit(" NMI ") == "nmi"
    assert fmt_length(5_500_000.0, "mi") == f"{5_500_000 / MILE_M:,.0f}" == "3,418"
    assert length_label(5_000_000.0, "nmi") == "2,700 nmi"  # 2,699.78
    assert fmt_length(float("nan"), "km") == "–"


def test_flight_and_systems_follow_the_unit(cli) -> None:
    km = _csv(cli("flight", "--distance", "1000", "--system", "oreshnik", "-f", "csv")[1])
    code, out, err = cli("flight", "--distance", "1000", "--system", "oreshnik", "-f", "csv",
                         "--units", "nmi")  # fmt: skip
    assert code == 0, err
    nmi = _csv(out)
    for a, b in zip(km, nmi, strict=True):
        assert float(b["ground_range_nmi"]) * NAUTICAL_MILE_M == pytest.approx(1e6, abs=1e-6)
        assert float(b["apogee_nmi"]) * NAUTICAL_MILE_M == pytest.approx(
            float(a["apogee_km"]) * 1000, abs=1e-6
        )
    code, out, err = cli("flight", "--distance", "1000", "--system", "oreshnik", "--units", "mi")
    assert f"Flight over {1e6 / MILE_M:,.0f} mi" in out and "apogee mi" in out
    code, out, err = cli("systems", "--units", "mi")
    assert code == 0 and "range mi" in out
    assert f"{5e6 / MILE_M:,.0f}–{5.5e6 / MILE_M:,.0f}" in out  # Oreshnik 3,107–3,418
    code, out, err = cli("systems", "oreshnik", "--units", "nmi")
    # the catalog's km, then the same span in nmi (the cell may wrap in the table)
    assert "5,000–5,500 km =" in out
    assert f"{5e6 / NAUTICAL_MILE_M:,.0f}–{5.5e6 / NAUTICAL_MILE_M:,.0f}" in out  # 2,700–2,970


def test_envelope_geojson_gains_the_unit(cli) -> None:
    code, out, err = cli("envelope", "--from", "53.9,27.5667", "--range", "100mi", "-f",
                         "geojson", "--units", "mi")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    (feat,) = doc["features"]
    assert feat["properties"]["range_mi"] == pytest.approx(100.0, rel=1e-15)
    assert feat["properties"]["range_km"] == pytest.approx(160.9344, rel=1e-15)
