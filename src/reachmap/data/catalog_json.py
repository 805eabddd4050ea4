"""The catalog as plain data: the JSON of ``reachmap systems`` / ``sites`` and of the
web API's ``/api/systems`` and ``/api/sites`` (one builder for both interfaces).

Ranges in km, speeds in m/s; every number with the ids of its sources.

>>> from reachmap.data import catalog
>>> system_json(catalog.system("oreshnik"))["range_km"]["sources"][:1]  # doctest: +ELLIPSIS
['...']
"""

from __future__ import annotations

from typing import Any

from reachmap.data import catalog
from reachmap.data.catalog import Boost, Estimate, Site, Source, System

__all__ = ["cited", "site_json", "sites_geojson", "system_json"]


def _estimate_json(est: Estimate | None, scale: float = 1.0) -> dict[str, Any] | None:
    if est is None:
        return None
    return {
        "low": est.low / scale,
        "high": est.high / scale,
        "note": est.note,
        "sources": [s.id for s in est.sources],
    }


def _boost_json(boost: Boost | None) -> dict[str, Any] | None:
    if boost is None:
        return None
    return {
        "burn_time_s": boost.burn_time_s,
        "burnout_altitude_km": boost.burnout_altitude_m / 1000.0,
        "burnout_downrange_km": boost.burnout_downrange_m / 1000.0,
        "note": boost.note,
        "sources": [s.id for s in boost.sources],
    }


def _names(entry: System | Site) -> dict[str, Any]:
    """What every catalog entry's JSON starts with: who it is and whose."""
    return {
        "id": entry.id,
        "name": entry.name,
        "aliases": list(entry.aliases),
        "country": entry.country,
    }


def system_json(entry: System) -> dict[str, Any]:
    """Every number of a system with its sources (range in km, speed in m/s)."""
    return {
        **_names(entry),
        "class": entry.system_class,
        "inf_class": entry.inf_class,
        "inf_class_source": catalog.INF_TREATY_SOURCE_ID,
        "propulsion": entry.propulsion,
        "status": entry.status,
        "summary": entry.summary,
        "summary_sources": [s.id for s in entry.sources],
        "range_km": _estimate_json(entry.range_m, 1000.0),
        "payload_kg": _estimate_json(entry.payload_kg),
        "speed_mps": _estimate_json(entry.speed_mps),
        "boost": _boost_json(entry.boost),
        "sources": [s.as_json() for s in cited(entry)],
    }


def cited(entry: System) -> tuple[Source, ...]:
    """Every source behind what ``systems NAME`` prints: the entry's own, then the INF
    Treaty (the INF class is derived from its Article II)."""
    inf = catalog.sources()[catalog.INF_TREATY_SOURCE_ID]
    own = entry.all_sources
    return own if inf in own else (*own, inf)


def site_json(entry: Site) -> dict[str, Any]:
    """A site with its sources."""
    return {
        **_names(entry),
        "lat": entry.lat_deg,
        "lon": entry.lon_deg,
        "kind": entry.kind,
        "note": entry.note,
        "sources": [s.as_json() for s in entry.sources],
    }


def sites_geojson(entries: list[Site]) -> dict[str, Any]:
    """RFC 7946 FeatureCollection of the sites as points ([lon, lat], WGS84)."""
    features = []
    for entry in entries:
        props = site_json(entry)
        props.pop("lat")
        props.pop("lon")
        props["sources"] = [s.id for s in entry.sources]
        features.append(
            {
                "type": "Feature",
                "id": entry.id,
                "geometry": {"type": "Point", "coordinates": [entry.lon_deg, entry.lat_deg]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}
