"""Nothing heavy at import: importing reachmap (or its command line) reads no data file
and loads neither numba nor scipy; light commands never load the compiled kernels.

Each check runs in a fresh interpreter, with an audit hook recording every file opened
(behaviour, not time: the timings are in bench/startup.py).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

_PROBE = r"""
import json, os, sys
opened = []

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(os.fsdecode(args[0]))

sys.addaudithook(hook)
{body}
code = (".py", ".pyc", ".so", ".pth")
# data files: anything but code, folders, package metadata and the stdlib's own zip
data = sorted(
    {{p for p in opened
      if not p.endswith(code) and not os.path.isdir(p) and ".dist-info" not in p
      and not (p.startswith(sys.base_prefix) and p.endswith(".zip"))}}
)
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"numba", "llvmlite", "scipy"}})
print(json.dumps({{"data_files": data, "heavy": heavy}}))
"""


def _probe(body: str) -> dict[str, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(body=body)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("module", ["reachmap", "reachmap.cli"])
def test_import_reads_no_data_and_loads_no_kernels(module):
    got = _probe(f"import {module}")
    assert got == {"data_files": [], "heavy": []}


@pytest.mark.parametrize(
    "argv", [["systems"], ["flight", "--distance", "790"], ["systems", "oreshnik"]]
)
def test_light_commands_do_not_load_the_kernels(argv):
    body = (
        "import contextlib, io\n"
        "from reachmap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main({argv!r}) == 0\n"
    )
    assert _probe(body)["heavy"] == []


@pytest.mark.parametrize("argv", [None, ["systems"], ["flight", "--distance", "790"]])
def test_import_and_light_commands_leave_geodesy_unloaded(argv):
    # pyproj and shapely cost ~0.1 s of start-up: only the launch-area and envelope code
    # needs them, which the package loads on first use (reachmap/__init__.py)
    body = "import reachmap\n"
    if argv is not None:
        body += (
            "import contextlib, io\n"
            "from reachmap.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    assert main({argv!r}) == 0\n"
        )
    body += (
        "loaded = {'pyproj', 'shapely'} & {m.split('.')[0] for m in sys.modules}\n"
        "assert not loaded, loaded\n"
    )
    _probe(body)


def test_the_public_names_survive_their_submodules_loading():
    # reachmap.area and reachmap.envelope are functions, and also the names of a module
    # and a package, which importing would otherwise set over them
    body = (
        "import reachmap\n"
        "import reachmap.area, reachmap.envelope.core\n"
        "from reachmap.area import Area\n"
        "assert callable(reachmap.area) and callable(reachmap.envelope)\n"
        "assert reachmap.Area is Area and reachmap.area('BLR').label\n"
        "import reachmap.envelope.ringset\n"
        "assert reachmap.envelope.__module__ == 'reachmap.envelope.core'\n"
    )
    _probe(body)


def test_the_probe_sees_data_reads_and_kernels():
    # The probe itself must be able to fail: a distance query reads the country
    # outlines (or their cache) and loads numba.
    body = "import reachmap\nreachmap.area('BLR').distance_m(10.0, 50.0)\n"
    got = _probe(body)
    assert got["data_files"]
    assert "numba" in got["heavy"]
