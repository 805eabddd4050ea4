"""Unit-conversion claims and the quantity grammar, on texts written for the tests.

References are the exact definitions: 1 international mile = 1,609.344 m (1959
yard and pound agreement), 1 nautical mile = 1,852 m; the rounding interval of a
figure is worked out by hand in each case.
"""

from __future__ import annotations

import pytest

from reachmap.claims import check_text
from reachmap.claims.quantities import parse, tolerance_si

MI = 1609.344


def _units(text: str) -> list[tuple[str, str]]:
    return [(c.verdict, text[c.focus[0] : c.focus[1]]) for c in check_text(text).claims
            if c.kind == "units"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("Belarus has a 1,084-kilometer (673-mile) border with Ukraine.", "consistent"),
        ("The border is 1,084 km (673 miles) long.", "consistent"),
        ("Its range is 500 km (310 miles).", "consistent"),
        ("Missiles with a range of 5,500 km (3,400 mi) were banned.", "consistent"),
        ("They can travel between 500 and 5,500 kilometers (310 to 3,400 miles).", "consistent"),
        ("The base is 800 miles (1,500 km) from the coast.", "inconsistent"),
        ("The base is 1,500 km (800 miles) from the coast.", "inconsistent"),
        ("A patrol of 300 nautical miles (556 km) was flown.", "consistent"),
        ("A patrol of 300 nautical miles (456 km) was flown.", "inconsistent"),
        ("The border is 1,084 km (680 miles) long.", "imprecise"),
        ("Its range is 500 km (300 miles).", "imprecise"),  # 310.7 mi: 0.9 % off
        ("It flies at 1,000 km/h (621 mph).", "consistent"),
        ("A speed of Mach 10 (7,673 mph) was claimed.", "consistent"),
        ("A speed of Mach 10 (17,000 mph) was claimed.", "inconsistent"),
        ("They fly 4,500 kilometres, or 2,800 miles, to the target.", "consistent"),
    ],
)
def test_conversion_verdicts(text: str, verdict: str) -> None:
    found = _units(text)
    assert len(found) == 1, found
    assert found[0][0] == verdict


def test_rounding_intervals_by_hand() -> None:
    # 3,400 may be rounded to the hundred: 3,350-3,450 mi; 5,500 km: 5,450-5,550 km.
    km, mi = parse("5,500 km (3,400 mi)")
    assert km.interval_si() == (5_450_000.0, 5_550_000.0)
    assert mi.interval_si() == pytest.approx((3350 * MI, 3450 * MI), abs=1e-6)
    # 673 is exact to the mile, 1,084.5 to the tenth.
    assert parse("673 miles")[0].interval_si() == pytest.approx((672.5 * MI, 673.5 * MI))
    assert parse("1,084.5 km")[0].interval_si() == pytest.approx((1_084_450.0, 1_084_550.0))


def test_computed_gap_for_a_wrong_conversion() -> None:
    claim = check_text("It is 800 miles (1,500 km) away.").claims[0]
    # 800 mi (two significant figures) is at most 805 mi = 1,295.5 km; 1,500 km at least 1,450.
    assert claim.computed["low_gap_m"] == pytest.approx(1_450_000 - 805 * MI, abs=1e-6)
    assert "1,287 km" in claim.explanation  # 800 mi = 1,287.5 km
    assert "932" in claim.explanation  # 1,500 km = 932.06 mi


@pytest.mark.parametrize(
    ("text", "hedge", "low_km", "high_km"),
    [
        ("some 1,700 km", "approx", 1530, 1870),  # 10 % of 1,700 is wider than 1,650-1,750
        ("less than 50 km", "at_most", 0, 50),
        ("more than 2,000 km", "at_least", 2000, float("inf")),
        ("nearly 1,000 km", "nearly", 900, 1050),  # 1,000 stands for 950-1,050
        ("roughly 400 kilometres", "approx", 360, 440),
        ("1,084 km", None, 1083.5, 1084.5),
    ],
)
def test_hedges(text: str, hedge: str | None, low_km: float, high_km: float) -> None:
    (q,) = parse(text)
    assert q.hedge == hedge
    lo, hi = tolerance_si(q)
    assert lo / 1e3 == pytest.approx(low_km)
    assert hi / 1e3 == pytest.approx(high_km)


def test_grammar_forms_and_offsets() -> None:
    text = "A 15-minute flight of ~790 km, then between 500 and 5,500 kilometres."
    qs = parse(text)
    assert [q.text for q in qs] == ["15-minute", "~790 km", "between 500 and 5,500 kilometres"]
    for q in qs:
        assert text[q.start : q.end] == q.text
    assert qs[2].is_range and qs[2].high.value == 5500


def test_names_are_not_numbers() -> None:
    assert parse("the 9M729, the RS-26 and SS-20s, Kh-101 and 3M22") == []


def test_numbers_not_checked_are_listed() -> None:
    result = check_text("In 2024, 32 members met. Some 40 percent agreed.")
    reasons = {c.computed["dimension"] for c in result.claims}
    assert reasons == {"year", "count", "percent"}
    assert all(c.verdict == "not_checkable" and c.explanation for c in result.claims)
