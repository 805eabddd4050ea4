"""Place and Places (reachmap.places): one coordinate order, columns that stay aligned."""

from __future__ import annotations

import numpy as np
import pytest

from reachmap.places import Place, Places


@pytest.fixture
def three() -> Places:
    return Places.from_columns(
        ["Minsk", "Hrodna", "Kyiv"], ["BLR", "BLR", "UKR"], [27.56, 23.83, 30.52],
        [53.9, 53.68, 50.45], [2_000_000, 360_000, 2_900_000], kind="three",
    )  # fmt: skip


def test_columns_are_longitude_first(three: Places) -> None:
    assert Places.COLUMNS.index("lon_deg") < Places.COLUMNS.index("lat_deg")
    assert list(Place.__dataclass_fields__)[1:3] == ["lon_deg", "lat_deg"]
    assert three.lon_deg.tolist() == [27.56, 23.83, 30.52]
    assert three.geonameid.tolist() == [-1, -1, -1]
    assert three.country_code.dtype == np.dtype("<U3") and three.name.dtype == object


def test_take_with_mask_and_indices(three: Places) -> None:
    first = three.take([0, 1])
    assert len(first) == 2 and first.kind == "three"
    assert three.take(three.country_code == "UKR").name.tolist() == ["Kyiv"]
    one = three.take(2)  # one row stays a Places
    assert len(one) == 1 and one.name.tolist() == ["Kyiv"]
    assert len(three.take([])) == 0
    assert repr(three) == "Places('three', 3 rows)"


def test_place_of_a_row(three: Places) -> None:
    assert three.place(1) == Place("Hrodna", 23.83, 53.68, "BLR", 360_000, "three")
    assert three.place(0, kind="capital").kind == "capital"
    assert isinstance(three.place(0).lon_deg, float)
