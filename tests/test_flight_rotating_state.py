"""The rotating-Earth launch state as reported (JSON), integrated independently.

Regression for issue 8: docs/flight.md promises that the rotating-Earth arcs land
within 1 m of the target; this test takes only what `reachmap flight --rotating-earth
--format json` prints - the launch point, the boost (burn time, burnout altitude and
downrange along the great circle to the target), the Earth-relative burnout speed,
path angle and azimuth at burnout - rebuilds the inertial burnout state from them
(the Earth turned by omega times the burn time, the ground's velocity omega x r added)
and integrates two-body motion (scipy's DOP853, rtol 1e-13, atol 1e-9) to the ground,
with the Earth turning underneath. The tolerances matter: at atol 1e-3 (m and m/s) the
integration itself is off by up to 1 m on long lofted arcs (BLR -> Lisbon), which is
what an independent check at loose tolerances sees (the 9-17 m of the issue).
Constants are the model's stated ones (docs): R = 6,371 km,
mu = 3.986004418e14 m^3/s^2, omega = 7.2921159e-5 rad/s.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

R_M, MU, OMEGA = 6_371_000.0, 3.986004418e14, 7.2921159e-5


def _unit(lon_deg: float, lat_deg: float) -> np.ndarray:
    lon, lat = math.radians(lon_deg), math.radians(lat_deg)
    return np.array([math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)])


def _rz(angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _land(row: dict) -> tuple[float, np.ndarray]:
    """(time of impact, Earth-fixed impact unit vector) from a JSON row."""
    rot = row["rotating_earth"]
    launch = _unit(rot["launch_lon_deg"], rot["launch_lat_deg"])
    target = _unit(rot["target_lon_deg"], rot["target_lat_deg"])
    toward = target - (target @ launch) * launch
    toward /= np.linalg.norm(toward)
    boost = row["boost"]
    t_burn = boost["burn_time_s"]
    delta = boost["burnout_downrange_km"] * 1e3 / R_M
    b = math.cos(delta) * launch + math.sin(delta) * toward  # Earth-fixed burnout point
    east = np.cross([0.0, 0.0, 1.0], b)
    east /= np.linalg.norm(east)
    north = np.cross(b, east)
    az, gamma = math.radians(rot["azimuth_deg"]), math.radians(row["path_angle_deg"])
    heading = math.cos(az) * north + math.sin(az) * east
    v_rel = row["burnout_speed_mps"] * (math.cos(gamma) * heading + math.sin(gamma) * b)
    r0 = (R_M + boost["burnout_altitude_km"] * 1e3) * _rz(OMEGA * t_burn) @ b
    v0 = _rz(OMEGA * t_burn) @ v_rel + np.cross([0.0, 0.0, OMEGA], r0)

    def rhs(_t: float, y: np.ndarray) -> np.ndarray:
        return np.concatenate([y[3:], -MU * y[:3] / np.linalg.norm(y[:3]) ** 3])

    def ground(_t: float, y: np.ndarray) -> float:
        return float(np.linalg.norm(y[:3])) - R_M

    ground.terminal, ground.direction = True, -1  # type: ignore[attr-defined]
    sol = solve_ivp(
        rhs, (t_burn, t_burn + 1e5), np.concatenate([r0, v0]), method="DOP853",
        rtol=1e-13, atol=1e-9, events=ground,
    )  # fmt: skip
    t = float(sol.t_events[0][0])
    hit = _rz(-OMEGA * t) @ sol.y_events[0][0][:3]
    return t, hit / np.linalg.norm(hit)


@pytest.mark.parametrize(
    "args",
    [
        ("--from", "kapustin-yar", "--to", "Dnipro"),
        ("--from", "kapustin-yar", "--to", "Dnipro", "--system", "oreshnik"),
        ("--from", "53.71,31.70", "--to", "London", "--system", "oreshnik"),
        ("--from", "53.71,31.70", "--to", "Novosibirsk", "--system", "oreshnik"),
        ("--from", "BLR", "--to", "Lisbon", "--system", "oreshnik"),
        ("--from", "53.71,31.70", "--to", "Washington", "--system", "yars"),
        ("--from", "-33.9,18.4", "--to", "Sydney", "--system", "yars"),
        ("--from", "70,30", "--to", "65,-150", "--system", "yars"),
    ],
)
def test_reported_earth_relative_state_lands_on_the_target(args: tuple[str, ...], cli) -> None:
    code, out, err = cli(
        "flight", *args, "--rotating-earth", "--profile", "all", "--format", "json"
    )
    assert code == 0, err
    rows = [r for r in json.loads(out) if r["valid"]]
    assert rows
    for row in rows:
        t, hit = _land(row)
        rot = row["rotating_earth"]
        target = _unit(rot["target_lon_deg"], rot["target_lat_deg"])
        miss_m = float(np.linalg.norm(hit - target)) * R_M
        # 1 m, as docs/flight.md states (measured: at most 0.04 mm over these 22 arcs)
        assert miss_m < 1.0, (row["profile"], miss_m)
        assert t == pytest.approx(row["time_s"], abs=0.01)
