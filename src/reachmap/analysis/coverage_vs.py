"""Coverage from two launch areas: which countries a move of the launch area brings
within reach (``reachmap reach --targets countries --vs AREA``).

For each range estimate a country is **newly within reach** when no part of it is
within reach from the reference area (``none``) and some part is from the area under
study, and **newly fully covered** when it is fully covered from the area under study
only. Both are named, with the status from each area, for the low and the high
estimate separately (:mod:`reachmap.analysis.coverage` computes each status).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reachmap.analysis.coverage import FULL, NONE, CoverageResult

#: (JSON suffix, name) of the two range estimates
ESTIMATES = (("", "low"), ("_high", "high"))


@dataclass(frozen=True)
class CoverageChange:
    """``first``: coverage from the launch area under study (``--from``); ``second``:
    from the reference area (``--vs``), same range and date."""

    first: CoverageResult
    second: CoverageResult

    def _pairs(self) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        by_iso = {r["iso3"]: r for r in self.second.table}
        return [(r, by_iso[r["iso3"]]) for r in self.first.table if r["iso3"] in by_iso]

    def estimates(self) -> list[tuple[str, str]]:
        """(suffix, name) of the estimates: the low one only when both are equal."""
        rng = self.first.range
        return list(ESTIMATES) if rng.low_m != rng.high_m else [ESTIMATES[0]]

    def rows(self) -> list[dict[str, Any]]:
        """One row per country whose status differs between the two areas at any
        estimate, nearest to the first area first."""
        out = []
        for a, b in self._pairs():
            row: dict[str, Any] = {"iso3": a["iso3"], "name": a["name"]}
            changed = False
            for sfx, _ in ESTIMATES:
                row["status_from" + sfx] = a["status" + sfx]
                row["status_vs" + sfx] = b["status" + sfx]
                row["area_share_from" + sfx] = a["area_share" + sfx]
                row["area_share_vs" + sfx] = b["area_share" + sfx]
                changed |= a["status" + sfx] != b["status" + sfx]
            row["nearest_from_km"] = a["nearest_km"]
            row["nearest_vs_km"] = b["nearest_km"]
            if changed:
                out.append(row)
        out.sort(key=lambda r: (r["nearest_from_km"], r["iso3"]))
        return out

    def summary(self) -> dict[str, Any]:
        """Per estimate: ISO-3 codes newly within reach, newly fully covered, and those
        within reach from the reference area only."""
        out: dict[str, Any] = {
            "from": self.first.area.label,
            "vs": self.second.area.label,
            "range": self.first.range.to_json(),
        }
        pairs = self._pairs()
        for sfx, _ in ESTIMATES:
            s = "status" + sfx
            out["newly_within" + sfx] = [a["iso3"] for a, b in pairs if b[s] == NONE != a[s]]
            out["newly_full" + sfx] = [a["iso3"] for a, b in pairs if a[s] == FULL != b[s]]
            out["no_longer_within" + sfx] = [a["iso3"] for a, b in pairs if a[s] == NONE != b[s]]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "countries_changed": self.rows(),
            "summary": self.summary(),
            "from": self.first.to_json(),
            "vs": self.second.to_json(),
        }


def coverage_change(first: CoverageResult, second: CoverageResult) -> CoverageChange:
    """Compare two coverage results of the same range (``ValueError`` otherwise)."""
    if (first.range.low_m, first.range.high_m) != (second.range.low_m, second.range.high_m):
        raise ValueError("coverage results of different ranges")
    return CoverageChange(first, second)
