"""Regions as targets and filters on the command line (issue 10, part 1)."""

from __future__ import annotations

import json

import pytest

from reachmap.data.regions import EUROPE_DEFINITION
from reachmap.io.resolve import resolve_targets


def test_european_cities_exclude_asian_russia_and_overseas_parts() -> None:
    names = set(resolve_targets("europe").name.tolist())
    assert {"Kazan", "Ufa", "Kaliningrad", "Istanbul", "Reykjavík"} <= names
    assert not {"Yekaterinburg", "Novosibirsk", "Ankara", "Cayenne", "Nicosia"} & names


def test_in_filters_any_targets_by_region_or_countries() -> None:
    nato = resolve_targets("capitals", within="nato")
    assert len(nato) == 32 and {"Washington", "Ottawa", "Stockholm"} <= set(nato.name)
    two = resolve_targets("cities", within="POL,Lithuania")
    assert set(two.country_code) == {"POL", "LTU"}
    with pytest.raises(Exception, match="unknown region 'narnia'"):
        resolve_targets("capitals", within="narnia")


def test_reach_states_the_definition_it_used(cli) -> None:
    code, out, err = cli("reach", "--from", "Belarus", "--system", "oreshnik",
                         "--targets", "capitals", "--in", "europe", "--format", "json")  # fmt: skip
    assert code == 0, err
    s = json.loads(out)["summary"]
    assert s["targets"] == "capitals in Europe" and s["targets_definition"] == EUROPE_DEFINITION
    code, out, _ = cli("reach", "--from", "Belarus", "--system", "oreshnik",
                       "--targets", "capitals", "--in", "europe")  # fmt: skip
    assert "Ural" in out


def test_nato_capitals_beyond_the_low_estimate_are_in_north_america(cli) -> None:
    code, out, _ = cli("reach", "--from", "Belarus", "--system", "oreshnik", "--targets",
                       "capitals", "--in", "nato", "--all", "--format", "json")  # fmt: skip
    rows = {t["name"]: t for t in json.loads(out)["targets"]}
    beyond = {n for n, t in rows.items() if t["status"] == "beyond"}
    assert beyond == {"Washington", "Ottawa"}
    assert rows["Lisbon"]["status"] == "within"


def test_country_coverage_in_a_region_names_its_rows(cli) -> None:
    code, out, err = cli("reach", "--from", "Belarus", "--range", "1000", "--targets",
                         "countries", "--in", "europe", "--all", "--format", "json")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    codes = {r["iso3"] for r in doc["countries"]}
    assert "RUS" in codes and "CYP" not in codes and "CHN" not in codes
    assert "are on the European part" in doc["summary"]["notes"][-1]
    assert {r["name"] for r in doc["countries"] if r["iso3"] in ("RUS", "TUR")} == {
        "Russia (European part)",
        "Turkey (European part)",
    }
