"""Lengths typed by the user (reachmap.units.parse_length_m), against the unit
definitions (international mile 1609.344 m, nautical mile 1852 m, both exact)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reachmap.errors import InputError
from reachmap.units import parse_length_m


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5500", 5_500_000.0),
        (" 5500 km ", 5_500_000.0),
        ("5500KM", 5_500_000.0),
        ("3400mi", 3400 * 1609.344),
        ("800 nmi", 800 * 1852.0),
        ("250m", 250.0),
        ("1.5e3", 1_500_000.0),
        (".5", 500.0),
        (790, 790_000.0),  # a number is kilometres too
        (0.25, 250.0),
    ],
)
def test_units(text: str | float, metres: float) -> None:
    assert parse_length_m(text) == pytest.approx(metres, rel=1e-15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-5", "range must be positive, got '-5'"),
        ("0", "range must be positive"),
        ("abc", "range 'abc' is not a number; give e.g. 5500, 5500km or 3400mi"),
        ("5parsec", "unknown unit 'parsec' in range '5parsec'; use one of: m, km, mi, nmi"),
        ("1e400", "range must be a finite number"),
        ("", "is not a number"),
    ],
)
def test_bad_lengths(text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_length_m(text)
    assert message in str(info.value)


def test_zero_when_allowed_and_the_name_in_messages() -> None:
    assert parse_length_m("0", allow_zero=True) == 0.0
    with pytest.raises(InputError, match="apogee must be positive"):
        parse_length_m("-1", what="apogee")


@given(st.floats(min_value=1e-3, max_value=20_000))
def test_repr_round_trips(km: float) -> None:
    assert parse_length_m(f"{km!r}km") == km * 1000.0
