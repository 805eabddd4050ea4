"""Envelopes: the region within a distance of an area, traced on the exact distance field.

``Envelope`` and ``envelope()`` live in :mod:`reachmap.envelope.core`; the tracing
steps in ``levelset`` (the distance field), ``contour`` (marching squares in an
azimuthal frame), ``snap`` (vertices onto the level set) and ``lonlat`` (RFC 7946
assembly: antimeridian cuts and pole closures).
"""

from reachmap.envelope.core import (
    DEFAULT_TOLERANCE_M,
    Envelope,
    EnvelopeSet,
    Feature,
    bands,
    difference,
    envelope,
)

__all__ = [
    "DEFAULT_TOLERANCE_M",
    "Envelope",
    "EnvelopeSet",
    "Feature",
    "bands",
    "difference",
    "envelope",
]
