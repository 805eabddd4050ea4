"""Scenario files: the built-in one, and every mistake reported with its key and line."""

from __future__ import annotations

import pytest

from reachmap.errors import InputError
from reachmap.report import build, scenario
from reachmap.report.tomlkeys import key_lines

GOOD = """\
title = "Test"

[[area]]
id = "a"
from = "krychaw"
role = "deployed"

[[area]]
id = "b"
from = ["kapustin-yar"]
role = "baseline"

[[system]]
id = "oreshnik"
"""


def test_builtin_scenario() -> None:
    sc = scenario.load()
    assert [a.id for a in sc.areas] == ["belarus", "krychaw", "kapustin-yar", "russia"]
    assert [a.role for a in sc.areas] == ["deployed", "deployed", "baseline", "baseline"]
    assert sc.areas[3].specs == ("Russia",)
    assert sc.systems[0].id == "oreshnik"
    assert sc.capitals_of == ("nato",)
    assert sc.options.isochrone_minutes == (5.0, 10.0, 15.0, 20.0)
    assert sc.isochrone_area.id == "belarus"
    assert "Kaliningrad" in sc.notes


def test_explicit_range_and_defaults() -> None:
    text = GOOD.replace('id = "oreshnik"', 'name = "Test system"\nrange = ["1000km", "600mi"]')
    sc = scenario.parse(text)
    s = sc.systems[0]
    assert s.id is None and s.name == "Test system"
    assert s.range_m == (pytest.approx(965_606.4), 1_000_000.0)  # 600 mi = 965.6064 km
    assert sc.options == scenario.Options()
    assert sc.isochrone_area.id == "a"


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('role = "baseline"', 'rol = "baseline"'), 11, "unknown key 'rol' in [[area]] #2"),
        (('role = "baseline"', 'role = "reference"'), 11, "must be one of: deployed, baseline"),
        (('from = ["kapustin-yar"]', "from = 5"), 10, "'from' in [[area]] #2 must be a string"),
        (('id = "oreshnik"', 'id = "oreshnk"'), 14, "Did you mean: 'oreshnik'?"),
        (('title = "Test"', "title = 3"), 1, "'title' in the scenario must be a non-empty"),
        (
            ('title = "Test"', 'title = "Test"\ncolour = "red"'),
            2,
            "unknown key 'colour' in the top level",
        ),
        (("", '\n[options]\nisochrone_minutes = "5,10"\n'), 17, "must be a list of positive"),
        (("", '\n[options]\nprojection = "mercator"\n'), 17, "aeqd, polar, world"),
        (("", '\n[options]\nprofiles = ["ballistic"]\n'), 17, "unknown profile 'ballistic'"),
        (("", '\n[options]\nrotating_earth = "yes"\n'), 17, "must be true or false"),
        (("", "\n[options]\ntolerance_m = 0.1\n"), 17, "from 1 to 10000"),
        (("", '\n[options]\nisochrones_from = "c"\n'), 17, "use one of: a, b"),
        (("", '\n[targets]\ncapitals_of = ["natto"]\n'), 17, "neither a group"),
        (('id = "b"', 'id = "a"'), 9, "must be unique"),
    ],
)
def test_mistakes_name_key_and_line(change: tuple[str, str], line: int, message: str) -> None:
    old, new = change
    text = GOOD.replace(old, new, 1) if old else GOOD + new
    with pytest.raises(InputError) as err:
        scenario.parse(text, "my.toml")
    assert str(err.value).startswith(f"my.toml, line {line}: "), str(err.value)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_not_toml_and_missing_parts() -> None:
    with pytest.raises(InputError, match=r"my.toml: not valid TOML: .*line 1, column"):
        scenario.parse("title = \n", "my.toml")
    with pytest.raises(InputError, match="no launch area"):
        scenario.parse('title = "x"\n', "my.toml")
    with pytest.raises(InputError, match='no area has role = "deployed"'):
        scenario.parse(GOOD.replace('"deployed"', '"baseline"'), "my.toml")
    with pytest.raises(InputError, match="either id"):
        scenario.parse(GOOD.replace('id = "oreshnik"', 'id = "oreshnik"\nrange = "5000"'))
    with pytest.raises(InputError, match="does not exist"):
        scenario.load("/nonexistent/scenario.toml")


def test_unknown_place_in_from_names_its_line() -> None:
    """Launch areas resolve when the report runs; the error still points at the line."""
    sc = scenario.parse(GOOD.replace('from = "krychaw"', 'from = "Belaruss"'), "my.toml")
    with pytest.raises(InputError, match=r"^my.toml, line 5: unknown launch area 'Belaruss'"):
        build.run(sc)


def test_key_lines() -> None:
    text = 'a = 1\n[t]\nb.c = 2\n"q k" = 3\n[[arr]]\nx = """\nz = 4\n"""\n[[arr]]\ny = 5\n'
    lines = key_lines(text)
    assert lines[("a",)] == 1 and lines[("t", "b", "c")] == 3 and lines[("t", "q k")] == 4
    assert lines[("arr", 0, "x")] == 6 and ("arr", 0, "z") not in lines  # inside a string
    assert lines[("arr", 1, "y")] == 10
