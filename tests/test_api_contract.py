"""The Python API's error contract: a refusal is an InputError (or a documented subclass:
InputTypeError, also a TypeError; TooLarge), whose message names the parameter, never an
AttributeError, TypeError or GeodError from deep inside (issue 8, "The error contract")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import reachmap
from reachmap.analysis.isochrones import MAX_CONTOURS, isochrones
from reachmap.area import Area
from reachmap.data import catalog, countries, geonames
from reachmap.errors import InputError, InputTypeError, TooLarge
from reachmap.io import export
from reachmap.io.resolve import MAX_SPECS, resolve_place, resolve_targets

Call = Callable[[], Any]


@pytest.fixture(scope="module")
def minsk() -> Area:
    return reachmap.area("53.9,27.56")


def _cases(minsk: Area) -> dict[str, tuple[Call, type[InputError], str]]:
    oreshnik = catalog.system("oreshnik")
    return {
        "area(None)": (lambda: reachmap.area(None), InputTypeError, "got None"),
        "area(5)": (lambda: reachmap.area(5), InputTypeError, "got int"),
        "area(list)": (lambda: reachmap.area([1, 2]), InputTypeError, "got list"),
        "area(300 chars)": (lambda: reachmap.area("x" * 300), InputError, "(300 characters)"),
        "area(NUL)": (lambda: reachmap.area("a\0b"), InputError, "unknown launch area"),
        "area(long file)": (
            lambda: reachmap.area("x" * 300 + ".geojson"),
            InputError,
            "File name too long",
        ),
        "area(101 specs)": (
            lambda: reachmap.area(*["53.9,27.56"] * (MAX_SPECS + 1)),
            TooLarge,
            "at most 100",
        ),
        "distance_m(text)": (lambda: minsk.distance_m("a", "b"), InputTypeError, "`lon_deg`"),
        "distance_m(objects)": (
            lambda: minsk.distance_m([object()], [1.0]),
            InputTypeError,
            "`lon_deg`",
        ),
        "distance_m(bools)": (lambda: minsk.distance_m(True, 1.0), InputTypeError, "got bool"),
        "distance_m(shapes)": (
            lambda: minsk.distance_m([1, 2], [1, 2, 3]),
            InputError,
            "do not broadcast",
        ),
        "nearest(text)": (lambda: minsk.nearest("a", 1.0), InputTypeError, "`lon_deg`"),
        "envelope(area, '5')": (
            lambda: reachmap.envelope(minsk, "5"),
            InputTypeError,
            "`range_m` must be a number",
        ),
        "envelope(area, None)": (
            lambda: reachmap.envelope(minsk, None),
            InputTypeError,
            "`range_m`",
        ),
        "envelope(area, list)": (
            lambda: reachmap.envelope(minsk, [1e5]),
            InputTypeError,
            "`range_m`",
        ),
        "envelope(area, nan)": (
            lambda: reachmap.envelope(minsk, float("nan")),
            InputError,
            "finite",
        ),
        "envelope(None, 5 km)": (lambda: reachmap.envelope(None, 5e3), InputTypeError, "`area`"),
        "envelope('BLR', 5 km)": (
            lambda: reachmap.envelope("BLR", 5e3),
            InputTypeError,
            "reachmap.area",
        ),
        "envelope(tolerance 'x')": (
            lambda: reachmap.envelope(minsk, 5e5, "x"),
            InputTypeError,
            "`tolerance_m`",
        ),
        "parse_length_m(None)": (lambda: reachmap.parse_length_m(None), InputTypeError, "got None"),
        "parse_length_m(True)": (lambda: reachmap.parse_length_m(True), InputTypeError, "got bool"),
        "parse_length_m(1e308)": (
            lambda: reachmap.parse_length_m("1e308"),
            InputError,
            "half the Earth's",
        ),
        "parse_length_m(30000)": (
            lambda: reachmap.parse_length_m("30000"),
            InputError,
            "half the Earth's circumference",
        ),
        "system(None)": (lambda: catalog.system(None), InputTypeError, "must be text"),
        "find_site(None)": (lambda: catalog.find_site(None), InputTypeError, "must be text"),
        "find_country(5)": (lambda: countries.find_country(5), InputTypeError, "must be text"),
        "country(None)": (lambda: countries.country(None), InputTypeError, "must be text"),
        "lookup(None)": (lambda: geonames.lookup(None), InputTypeError, "must be text"),
        "resolve_place(5)": (lambda: resolve_place(5), InputTypeError, "got int"),
        "resolve_targets(None)": (lambda: resolve_targets(None), InputTypeError, "`targets`"),
        "resolve_targets(300 chars)": (
            lambda: resolve_targets("x" * 300),
            InputError,
            "unknown `targets`",
        ),
        "to_geodataframe(None)": (
            lambda: export.to_geodataframe(None),
            InputTypeError,
            "`items`",
        ),
        "isochrones(25 times)": (
            lambda: isochrones(minsk, oreshnik, list(range(1, MAX_CONTOURS + 2))),
            TooLarge,
            f"at most {MAX_CONTOURS}",
        ),
        "isochrones(inf)": (
            lambda: isochrones(minsk, oreshnik, [float("inf")]),
            InputError,
            "finite",
        ),
        "isochrones('5')": (lambda: isochrones(minsk, oreshnik, "5"), InputTypeError, "`minutes`"),
    }


def test_every_refusal_is_an_input_error(minsk: Area) -> None:
    failures = []
    for name, (call, kind, words) in _cases(minsk).items():
        try:
            call()
        except InputError as err:
            if not isinstance(err, kind) or words not in str(err):
                failures.append(f"{name}: {type(err).__name__}: {err}")
            if "\n" in str(err):
                failures.append(f"{name}: message of several lines")
        except Exception as err:  # noqa: BLE001 - the point of the test
            failures.append(f"{name}: {type(err).__name__}: {err}")
        else:
            failures.append(f"{name}: accepted")
    assert not failures, "\n".join(failures)


def test_type_errors_are_type_errors_too(minsk: Area) -> None:
    with pytest.raises(TypeError):
        reachmap.envelope(minsk, "5")
    assert issubclass(InputTypeError, InputError) and issubclass(TooLarge, InputError)


def test_numbers_of_every_numeric_type_still_work(minsk: Area) -> None:
    kyiv = (30.5234, 50.4501)
    expected = float(minsk.distance_m(*kyiv))
    assert float(minsk.distance_m(np.float32(kyiv[0]), np.float64(kyiv[1]))) == pytest.approx(
        expected,
        abs=1.0,  # float32 rounds the longitude by up to 1e-6 deg = 0.1 m
    )
    assert minsk.distance_m(np.array([kyiv[0]]), [kyiv[1]])[0] == expected
    assert np.isnan(minsk.distance_m(None, None))  # missing coordinates are NaN, as documented
    env = reachmap.envelope(minsk, np.int64(100_000), np.float32(100.0))
    assert env.range_m == 100_000.0 and bool(env.contains(*kyiv)) is False
