"""The calibrated conformal-sphere model used to screen candidates.

For a query point q, one exact geodesic inverse from a boundary vertex V0 gives
the distance d0 and the azimuth at V0. Placing a model point q' on the conformal
sphere at that azimuth and scaled distance from V0 reproduces the exact distance
function near V0 to first order (conformal maps keep angles); the model
distance ``D`` to a point P at geodesic separation x from V0 then differs from
the exact distance by at most :func:`model_error_m`.

The bound was measured on 800,000 random (V0, q, P) triples spread over the
globe, x from 1 m to 10,000 km, d0 from 1 m to the antipode, and is used with a
safety factor of 3 (see docs/accuracy.md and tests/test_model_bound.py).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from reachmap.geodesy.ellipsoid import A_M, Float

# Upper edges of the d0 bands (m) and, per band, the coefficients of
# err <= 0.05 m + min(C2 x^2 / a, C1 x (x + d0) / a, CR x); measured maxima x 3.
# Beyond 19,000 km (near V0's antipode) geodesics fan out and the model is no
# better than the triangle inequality: |D - d| <= |D - d0| + |d - d0| <= 2.0034 x
# (the conformal sphere stretches lengths by at most 1.00336), so CR = 2.01 there.
_D_EDGES_M = np.array([1e6, 1e7, 1.5e7, 1.9e7, np.inf])
_C2 = np.array([0.065, 0.086, 0.12, 0.57, 1e30])  # 1e30: "no such bound" (inf * 0 = nan)
_C1 = np.array([0.032, 0.0045, 0.009, 0.025, 1e30])
_CR = np.array([0.006, 0.011, 0.028, 0.084, 2.01])
#: constant part: float round-off of the unit-vector model plus the gap between a
#: geodesic edge (<= 30 km) and the great-circle arc of its image on the sphere.
_ERR0_M = 0.05


def model_error_m(x_m: ArrayLike, d0_m: ArrayLike) -> Float:
    """Bound on |model distance - exact distance| at separation ``x_m`` from V0."""
    x = np.asarray(x_m, dtype=np.float64)
    d0 = np.asarray(d0_m, dtype=np.float64)
    band = np.searchsorted(_D_EDGES_M, d0)
    bound = np.minimum(_C2[band] * x * x / A_M, _C1[band] * x * (x + d0) / A_M)
    return np.asarray(_ERR0_M + np.minimum(bound, _CR[band] * x), dtype=np.float64)


def angle_between(u: Float, v: Float) -> Float:
    """Angle (rad) between unit vectors along the last axis; accurate at 0 and pi."""
    cross = np.cross(u, v)
    return np.asarray(
        np.arctan2(
            np.sqrt(np.einsum("...i,...i->...", cross, cross)), np.einsum("...i,...i->...", u, v)
        ),
        dtype=np.float64,
    )
