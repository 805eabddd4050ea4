"""The layout stays as ARCHITECTURE.md describes it.

* every module imports on its own in a fresh interpreter (an import cycle that only
  shows for some import orders fails here; skyfield's ``design/test_import_loops.py``
  does the same);
* a lower layer never imports a higher one (read from the source with ``ast``, so
  imports inside functions count too);
* no module passes 500 lines;
* every public name in ``reachmap.__all__`` is documented.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import reachmap

PACKAGE = Path(reachmap.__file__).parent
MAX_LINES = 500

#: Layer of each top-level part of the package, bottom (0) to top. A module may import
#: its own layer and any layer below it, never above (ARCHITECTURE.md, "Layers").
LAYERS: dict[str, int] = {
    "errors": 0,
    "units": 0,
    "numeric": 0,
    "words": 0,
    "progress": 0,
    "geodesy": 1,
    "data": 2,
    "places": 2,
    "area": 3,
    "envelope": 3,
    "flight": 3,
    "io": 4,
    "analysis": 5,
    "claims": 5,
    "report": 6,
    "cli": 7,
    "web": 7,
    "store": 7,
}
#: Single modules that sit lower than their folder: plain utilities.
MODULE_LAYERS: dict[str, int] = {"reachmap.io.files": 0}


def _layer(module: str) -> int | None:
    for name, layer in MODULE_LAYERS.items():
        if module == name or module.startswith(name + "."):
            return layer
    part = _part(module)
    return None if part is None else LAYERS.get(part)


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _part(module: str) -> str | None:
    """``reachmap.flight.kepler`` -> ``flight``; the facade ``reachmap`` -> None."""
    bits = module.split(".")
    return bits[1] if len(bits) > 1 else None


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m == "reachmap" or m.startswith("reachmap.")}


def test_every_part_has_a_layer() -> None:
    parts = {_part(_name(p)) for p in _modules()} - {None}
    assert parts <= set(LAYERS), f"add {sorted(parts - set(LAYERS))} to LAYERS and ARCHITECTURE.md"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _name(p))
def test_no_import_goes_up(path: Path) -> None:
    me = _layer(_name(path))
    if me is None:
        return  # the facade may import anything it re-exports
    bad = []
    for target in _imports(path):
        other = _layer(target)
        if other is None:
            continue  # "reachmap" itself, or a name imported from the facade
        if other > me:
            bad.append(target)
    assert not bad, f"{_name(path)} (layer {me}) imports {sorted(bad)} from above"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _name(p))
def test_module_size(path: Path) -> None:
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {n} lines (limit {MAX_LINES})"


#: Runs in a fresh interpreter: third-party packages are imported once, then each
#: reachmap module is imported in a forked child that has no reachmap module loaded, so an
#: import cycle shows whichever module a user imports first, at a fraction of the cost of
#: one interpreter per module.
_IMPORT_EACH = """
import importlib, os, sys, traceback
import numpy, scipy, pyproj, shapely, numba, typer, rich  # noqa: F401  (shared, not ours)
assert not [m for m in sys.modules if m.startswith("reachmap")]
failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if status:
        failed.append(name)
print("FAILED", " ".join(failed))
sys.exit(1 if failed else 0)
"""


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs os.fork (POSIX)")
def test_every_module_imports_alone() -> None:
    names = [_name(p) for p in _modules()]
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH, *names], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]


@pytest.mark.parametrize("name", reachmap.__all__)
def test_public_names_are_documented(name: str) -> None:
    obj = getattr(reachmap, name)
    if name == "__version__":
        assert isinstance(obj, str)
        return
    doc = getattr(obj, "__doc__", None) or ""
    assert len(doc.strip()) > 20, f"reachmap.{name} needs a docstring"
