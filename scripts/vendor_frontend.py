"""Vendor the web page's map libraries from the npm registry into the package.

    python scripts/vendor_frontend.py            # fetch the pinned versions, copy, record
    python scripts/vendor_frontend.py --check    # verify the committed files only

Runs ``npm pack NAME@VERSION`` in a temporary directory (the registry's tarball, no
install scripts run), checks the tarball against the integrity npm reports, extracts
the built files the page loads, and copies them with the licence texts into
``src/reachmap/web/static/vendor/``. ``VENDORED.json`` there records, per package, its
name, version, licence, the tarball's file name, SHA-1 and SHA-512 integrity, and the
SHA-256 of every copied file, so ``tests/test_web_page_static.py`` can tell that the
committed files are exactly the published ones. The files are committed: ``pip
install`` gives a working page with no network, and the page loads nothing from a CDN
or a tile server.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "src" / "reachmap" / "web" / "static" / "vendor"
RECORD = VENDOR / "VENDORED.json"

#: package -> (pinned version, {path in the tarball: file name in vendor/})
PACKAGES: dict[str, tuple[str, dict[str, str]]] = {
    "ol": (
        "10.11.0",
        {
            "package/dist/ol.js": "ol.js",
            "package/ol.css": "ol.css",
            "package/LICENSE.md": "ol.LICENSE.md",
        },
    ),
    "proj4": (
        "2.22.0",
        {
            "package/dist/proj4.js": "proj4.js",
            "package/LICENSE.md": "proj4.LICENSE.md",
        },
    ),
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pack(name: str, version: str, work: Path) -> tuple[Path, dict[str, str]]:
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--ignore-scripts"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(out.stdout)[0]
    tarball = work / info["filename"]
    data = tarball.read_bytes()
    algo, _, digest = info["integrity"].partition("-")
    if algo != "sha512" or base64.b64decode(digest) != hashlib.sha512(data).digest():
        raise SystemExit(f"{tarball.name}: integrity mismatch with npm's {info['integrity']}")
    if hashlib.sha1(data).hexdigest() != info["shasum"]:
        raise SystemExit(f"{tarball.name}: shasum mismatch")
    view = subprocess.run(
        ["npm", "view", f"{name}@{version}", "license"],
        check=True,
        capture_output=True,
        text=True,
    )
    meta = {
        "name": name,
        "version": info["version"],
        "license": view.stdout.strip(),
        "tarball": info["filename"],
        "shasum": info["shasum"],
        "integrity": info["integrity"],
    }
    return tarball, meta


def vendor() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    record: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, (version, files) in PACKAGES.items():
            tarball, meta = _pack(name, version, work)
            copied: dict[str, str] = {}
            with tarfile.open(tarball, "r:gz") as tar:
                for member, target in files.items():
                    fh = tar.extractfile(member)
                    if fh is None:
                        raise SystemExit(f"{tarball.name} has no file {member}")
                    data = fh.read()
                    (VENDOR / target).write_bytes(data)
                    copied[target] = sha256(data)
            record.append({**meta, "files": copied})
            print(f"{name} {version}: {', '.join(copied)}")
    RECORD.write_text(json.dumps(record, indent=2) + "\n")


def check() -> list[str]:
    """Problems with the committed vendored files (empty when all match the record)."""
    problems = []
    record = json.loads(RECORD.read_text())
    names = {entry["name"]: entry for entry in record}
    for name, (version, files) in PACKAGES.items():
        entry = names.get(name)
        if entry is None or entry["version"] != version:
            problems.append(f"{name}: VENDORED.json does not record version {version}")
            continue
        for target in files.values():
            path = VENDOR / target
            if not path.is_file():
                problems.append(f"{name}: {target} missing")
            elif sha256(path.read_bytes()) != entry["files"].get(target):
                problems.append(f"{name}: {target} differs from the recorded hash")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="verify only, fetch nothing")
    args = parser.parse_args(argv)
    if not args.check:
        if shutil.which("npm") is None:
            print("npm not found: install Node.js (apt-get install npm)", file=sys.stderr)
            return 2
        vendor()
    problems = check()
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
