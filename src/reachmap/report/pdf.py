"""PDF and screenshots of the HTML report with headless Chromium, when it is installed.

reachmap does not bundle a browser: ``--pdf`` looks for Chromium (Debian/Ubuntu package
``chromium``; or Google Chrome) on the PATH, or the executable named by
``REACHMAP_CHROMIUM``, and prints the page with the browser's own print engine (the
report's print CSS: A4, no navigation). Without a browser it fails before any work
with one line saying what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from reachmap.errors import InputError

ENV_VAR = "REACHMAP_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 180
INSTALL_HINT = (
    "--pdf needs headless Chromium, which was not found: install it (Debian/Ubuntu: "
    "`apt-get install chromium`) or set REACHMAP_CHROMIUM to a Chromium/Chrome executable"
)


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable, or None."""
    override = os.environ.get(ENV_VAR)
    if override:
        return shutil.which(override) or (override if Path(override).is_file() else None)
    for name in NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The browser for ``--pdf``, or :class:`InputError` saying what to install."""
    found = find_chromium()
    if found is None:
        raise InputError(INSTALL_HINT)
    return found


def _run(browser: str, args: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="reachmap-chromium-") as profile:
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-extensions",
            "--no-first-run",
            "--no-default-browser-check",
            f"--user-data-dir={profile}",
            "--disable-background-networking",
            "--no-proxy-server",
            *args,
        ]
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"Chromium did not finish within {TIMEOUT_S} s") from None
        if res.returncode != 0:
            last = (res.stderr.strip().splitlines() or ["no message"])[-1]
            raise RuntimeError(f"Chromium failed (exit {res.returncode}): {last}")


def html_to_pdf(html_path: Path, pdf_path: Path, browser: str | None = None) -> None:
    """Print ``html_path`` to ``pdf_path`` (A4, from the page's print CSS)."""
    browser = browser or require_chromium()
    _run(
        browser,
        ["--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()],
    )
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        raise RuntimeError("Chromium wrote no PDF")


def screenshot(
    html_path: Path,
    png_path: Path,
    width: int = 1200,
    height: int = 2400,
    browser: str | None = None,
) -> None:
    """A PNG of the top ``height`` pixels of the page at ``width`` pixels."""
    browser = browser or require_chromium()
    _run(
        browser,
        [
            f"--window-size={width},{height}",
            "--hide-scrollbars",
            f"--screenshot={png_path}",
            html_path.resolve().as_uri(),
        ],
    )
    if not png_path.is_file():
        raise RuntimeError("Chromium wrote no screenshot")
