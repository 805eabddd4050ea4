"""The screening model's error envelope holds on fresh random configurations.

The distance engine discards candidates using ``model_error_m``; if the bound
were too small, a true nearest point could be discarded. This test draws new
random (V0, q, P) triples over the whole globe (a different seed from the one
the envelope was fitted on) and checks |model - exact| against the bound with
exact distances from pyproj (GeographicLib).
"""

from __future__ import annotations

import numpy as np
import pytest

from reachmap.geodesy.ellipsoid import A_M, GEOD, conformal_scale, conformal_unit, tangent_point
from reachmap.geodesy.model import angle_between, model_error_m


@pytest.mark.parametrize("seed", [7, 8])
def test_model_error_within_bound(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 150_000
    v_lon = rng.uniform(-180, 180, n)
    v_lat = np.degrees(np.arcsin(rng.uniform(-1, 1, n)))
    d = 10 ** rng.uniform(0, np.log10(2.0e7), n)
    d[: n // 3] = rng.uniform(1.8e7, 2.0e7, n // 3)  # near the antipode, where it is hardest
    q_lon, q_lat, _ = GEOD.fwd(v_lon, v_lat, rng.uniform(-180, 180, n), d)
    x = 10 ** rng.uniform(0, 7, n)
    p_lon, p_lat, _ = GEOD.fwd(v_lon, v_lat, rng.uniform(-180, 180, n), x)
    az0, _, d0 = GEOD.inv(v_lon, v_lat, q_lon, q_lat)
    _, _, x_exact = GEOD.inv(v_lon, v_lat, p_lon, p_lat)
    # the engine's model sphere (reachmap/geodesy/distance.py)
    m_per_rad = np.maximum(A_M / conformal_scale(v_lat), np.asarray(d0) / (np.pi - 1e-9))
    q_model = tangent_point(v_lon, v_lat, az0, np.asarray(d0) / m_per_rad)
    model = angle_between(q_model, conformal_unit(p_lon, p_lat)) * m_per_rad
    _, _, exact = GEOD.inv(p_lon, p_lat, q_lon, q_lat)
    err = np.abs(model - np.asarray(exact))
    bound = model_error_m(np.asarray(x_exact), np.asarray(d0))
    assert np.all(err <= bound), float(np.max(err / bound))
    # and the bound is not vacuous: it is within a factor ~10 of the worst case seen
    assert np.max(err / bound) > 0.05


def test_nearest_vertex_kernel_matches_argmax() -> None:
    """The compiled best-first scan finds the same calibration vertex as a brute-force
    argmax of dot products (a wrong V0 only costs speed, so test it directly)."""
    import reachmap
    from reachmap.geodesy.calibrate import nearest_vertex
    from reachmap.geodesy.ellipsoid import conformal_unit

    rng = np.random.default_rng(3)
    lon = rng.uniform(-180, 180, 20_000)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 20_000)))
    for spec in ("BLR", "FJI"):
        b = reachmap.area(spec).boundary
        real = np.flatnonzero(b.real)
        ref = real[np.argmax(conformal_unit(lon, lat) @ b.unit[real].T, axis=1)]
        np.testing.assert_array_equal(nearest_vertex(b, lon, lat), ref)


def test_compiled_conformal_unit_vector_matches_the_textbook_formula() -> None:
    """The kernels' conformal unit vector (tanh/cosh of psi from one exp) against
    ellipsoid.conformal_unit (tan, asinh, atanh, sinh, atan): same point to 1e-15
    (6 nm on the sphere), also at the poles, the equator and +-180."""
    from reachmap.geodesy.calibrate import conformal_units

    rng = np.random.default_rng(11)
    lat = np.concatenate(
        [np.degrees(np.arcsin(rng.uniform(-1, 1, 50_000))), [90.0, -90.0, 0.0, 89.9999999, -1e-300]]
    )
    lon = np.concatenate([rng.uniform(-180, 180, 50_000), [0.0, 180.0, -180.0, 37.0, 180.0]])
    got = conformal_units(lon, lat)
    ref = conformal_unit(lon, lat)
    assert np.max(np.abs(got - ref)) < 1e-15
    assert np.max(np.abs(np.linalg.norm(got, axis=1) - 1.0)) < 1e-15
