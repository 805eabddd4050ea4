// Geometry for the map: an azimuthal equidistant view (proj4, WGS84) centred on the
// launch area, and the region rings drawn in it.
//
// The API's polygons are RFC 7946: lon/lat, cut at +-180 and closed along a pole. In an
// azimuthal view centred on the launch area the pole and the antimeridian are ordinary
// points and lines, so a region is drawn from its *own* boundary loops: the artificial
// edges (along +-180 or +-90) are dropped and the pieces joined where they were cut
// (as reachmap.report.projection does for the report's maps). The loops are filled
// with the even-odd rule, which needs no orientation; a region holding the antipode of
// the centre (where the projection tears) gets a circle beyond the visible disc added,
// which flips the parity back. Points beyond CLAMP_M from the centre are pulled in onto
// that circle and runs of them follow it.

/* global proj4 */

export const R_EARTH_M = 6371008.8;
// straight lon/lat edges are split so that no piece spans more than this (degrees):
// the API's edges are straight in lon/lat; 0.5 deg is < 56 km, a few pixels at most
export const DENSIFY_DEG = 0.5;
// beyond this distance from the centre (m) points are clamped: proj4's Vincenty
// inverse does not converge near the antipode (about 20,004 km away)
export const CLAMP_M = 19500e3;
// the visible disc: the map may not be panned or zoomed out beyond it
export const VIEW_RADIUS_M = 19400e3;
const RIM_STEP_RAD = Math.PI / 180;
const DEG = Math.PI / 180;

export function aeqdDef(lon0, lat0) {
  return `+proj=aeqd +lat_0=${lat0} +lon_0=${lon0} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs`;
}

function sphericalAzimuth(lon0, lat0, lon, lat) {
  const d = (Math.PI / 180);
  const p0 = lat0 * d, p = lat * d, dl = (lon - lon0) * d;
  return Math.atan2(Math.sin(dl) * Math.cos(p),
    Math.cos(p0) * Math.sin(p) - Math.sin(p0) * Math.cos(p) * Math.cos(dl));
}

// A view: forward/inverse projection around (lon0, lat0) in map metres.
export class AeqdView {
  constructor(lon0, lat0) {
    this.lon0 = lon0;
    this.lat0 = lat0;
    this.code = `AEQD:${lon0.toFixed(5)},${lat0.toFixed(5)}`;
    this.def = aeqdDef(lon0, lat0);
    this.tr = proj4('EPSG:4326', this.def);
    // the projection itself, called with radians: skips proj4's per-point datum
    // checks (WGS84 to WGS84), a third of the page's first render
    this.proj = new proj4.Proj(this.def);
    const a = (lon0 + 360) % 360 - 180;
    this.antipode = [a, -lat0];
  }

  // [x, y] of one lon/lat point; beyond CLAMP_M (or where proj4 gives up) it is
  // pulled onto the clamp circle along its azimuth. Returns [x, y, clamped].
  project(lon, lat) {
    let p = null;
    try {
      p = this.proj.forward({ x: lon * DEG, y: lat * DEG });
    } catch (e) {
      p = null;
    }
    if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) {
      const r = Math.hypot(p.x, p.y);
      if (r <= CLAMP_M) return [p.x, p.y, false];
      return [CLAMP_M * p.x / r, CLAMP_M * p.y / r, true];
    }
    const az = sphericalAzimuth(this.lon0, this.lat0, lon, lat);
    return [CLAMP_M * Math.sin(az), CLAMP_M * Math.cos(az), true];
  }

  unproject(x, y) {
    return this.tr.inverse([x, y]);
  }

  // a projected polyline [[x, y], ...] of lon/lat points; clamped runs follow the rim
  projectLine(pts) {
    const out = [];
    let prev = null;
    for (const [lon, lat] of pts) {
      const p = this.project(lon, lat);
      if (prev && prev[2] && p[2]) {
        const t0 = Math.atan2(prev[0], prev[1]);
        let turn = Math.atan2(p[0], p[1]) - t0;
        turn = ((turn + Math.PI) % (2 * Math.PI) + 2 * Math.PI) % (2 * Math.PI) - Math.PI;
        const n = Math.floor(Math.abs(turn) / RIM_STEP_RAD);
        for (let k = 1; k <= n; k++) {
          const t = t0 + turn * k / (n + 1);
          out.push([CLAMP_M * Math.sin(t), CLAMP_M * Math.cos(t)]);
        }
      }
      out.push([p[0], p[1]]);
      prev = p;
    }
    return out;
  }

  // a counter-clockwise circle just beyond the clamp radius
  rimRing() {
    const out = [];
    for (let k = 0; k <= 360; k++) {
      const t = k * Math.PI / 180;
      out.push([1.01 * CLAMP_M * Math.sin(t), 1.01 * CLAMP_M * Math.cos(t)]);
    }
    return out;
  }
}

// ------------------------------------------------------------------ lon/lat rings

// rings without the closing repeat of the first vertex
function openRing(ring) {
  const n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) {
    return ring.slice(0, n - 1);
  }
  return ring;
}

export function densify(pts, closed, stepDeg = DENSIFY_DEG) {
  const out = [];
  const n = pts.length;
  const edges = closed ? n : n - 1;
  for (let i = 0; i < edges; i++) {
    const a = pts[i], b = pts[(i + 1) % n];
    const k = Math.max(1, Math.ceil(Math.max(Math.abs(b[0] - a[0]), Math.abs(b[1] - a[1])) / stepDeg));
    for (let j = 0; j < k; j++) {
      out.push([a[0] + (b[0] - a[0]) * j / k, a[1] + (b[1] - a[1]) * j / k]);
    }
  }
  if (!closed && n) out.push(pts[n - 1]);
  return out;
}

// an edge along the lon/lat rectangle's border: a cut at +-180 or a pole closure
function borderEdge(a, b) {
  return (a[0] === b[0] && Math.abs(a[0]) === 180) || (a[1] === b[1] && Math.abs(a[1]) === 90);
}

// polygons: GeoJSON Polygon or MultiPolygon coordinates as a list of polygons
export function polygonsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  if (geometry.type === 'GeometryCollection') {
    return geometry.geometries.flatMap(polygonsOf);
  }
  return [];
}

// Boundary runs without the artificial edges: [{pts, closed}]
export function realRuns(polygons) {
  const out = [];
  for (const poly of polygons) {
    for (const raw of poly) {
      const ring = openRing(raw);
      const n = ring.length;
      if (n < 2) continue;
      const fake = ring.map((p, i) => borderEdge(p, ring[(i + 1) % n]));
      const first = fake.indexOf(true);
      if (first < 0) {
        out.push({ pts: ring, closed: true });
        continue;
      }
      const start = first + 1;
      let run = [ring[start % n]];
      for (let j = 0; j < n; j++) {
        const k = (start + j) % n;
        const next = ring[(k + 1) % n];
        if (fake[k]) {
          if (run.length > 1) out.push({ pts: run, closed: false });
          run = [next];
        } else {
          run.push(next);
        }
      }
      if (run.length > 1) out.push({ pts: run, closed: false });
    }
  }
  return out;
}

function unit(p) {
  const lon = p[0] * Math.PI / 180, lat = p[1] * Math.PI / 180;
  return [Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)];
}

// Closed boundary loops on the sphere (lon/lat point lists): open runs are joined end
// to start where they meet on the sphere (a cut at +180 continues at -180).
export function sphereLoops(polygons) {
  const runs = realRuns(polygons).map((r) => ({ pts: densify(r.pts, r.closed), closed: r.closed }));
  const loops = runs.filter((r) => r.closed).map((r) => r.pts);
  const pieces = runs.filter((r) => !r.closed).map((r) => r.pts);
  if (!pieces.length) return loops;
  const starts = pieces.map((p) => unit(p[0]));
  const ends = pieces.map((p) => unit(p[p.length - 1]));
  const used = new Array(pieces.length).fill(false);
  for (let first = 0; first < pieces.length; first++) {
    if (used[first]) continue;
    const parts = [];
    let k = first;
    while (!used[k]) {
      used[k] = true;
      parts.push(pieces[k]);
      let best = -1, gap = Infinity;
      for (let j = 0; j < pieces.length; j++) {
        if (used[j] && j !== first) continue;
        const e = ends[k], s = starts[j];
        const g = Math.hypot(s[0] - e[0], s[1] - e[1], s[2] - e[2]);
        if (g < gap) { gap = g; best = j; }
      }
      k = best;
    }
    loops.push(parts.flat());
  }
  return loops;
}

function bboxOf(ring) {
  if (!ring.bbox) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const [x, y] of ring) {
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    ring.bbox = [x0, y0, x1, y1];
  }
  return ring.bbox;
}

// Whether lon/lat polygons (planar, even-odd over all rings) hold the point. A ring
// whose box does not hold the point crosses the ray from it an even number of times
// (or never), so it is skipped.
export function holdsPoint(polygons, lon, lat) {
  let inside = false;
  for (const poly of polygons) {
    for (const ring of poly) {
      const b = bboxOf(ring);
      if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
      const n = ring.length;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const [xi, yi] = ring[i], [xj, yj] = ring[j];
        if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
          inside = !inside;
        }
      }
    }
  }
  return inside;
}

// Projected fill rings of a region given as RFC 7946 polygons (fill even-odd).
export function regionRings(view, polygons) {
  const rings = sphereLoops(polygons)
    .filter((lp) => lp.length >= 3)
    .map((lp) => view.projectLine(lp));
  if (holdsPoint(polygons, view.antipode[0], view.antipode[1])) rings.push(view.rimRing());
  return rings;
}

// Projected fill rings of many separate polygons (country outlines: their rings as
// they are; cut edges meet their neighbour's, pole closures collapse to the pole).
export function polygonRings(view, polygons) {
  const rings = [];
  for (const poly of polygons) {
    for (const ring of poly) {
      const r = openRing(ring);
      if (r.length >= 3) rings.push(view.projectLine(densify(r, true)));
    }
  }
  if (holdsPoint(polygons, view.antipode[0], view.antipode[1])) rings.push(view.rimRing());
  return rings;
}

// Country outlines in one projection pass: fill rings (as polygonRings) and border
// lines (as boundaryLines: the rings split where an artificial edge was dropped).
export function outlinePaths(view, polygons) {
  const fills = [], lines = [];
  for (const poly of polygons) {
    for (const raw of poly) {
      const ring = openRing(raw);
      const n = ring.length;
      if (n < 3) continue;
      const pts = [], fake = [];
      for (let i = 0; i < n; i++) {
        const a = ring[i], b = ring[(i + 1) % n];
        const f = borderEdge(a, b);
        const piece = densify([a, b], false);
        piece.pop(); // b starts the next edge
        for (const p of piece) { pts.push(p); fake.push(f); }
      }
      const xy = view.projectLine(pts.concat([pts[0]]));
      fills.push(xy);
      // projectLine may add rim points between clamped vertices: map back by index
      // only when it did not (the usual case); otherwise project the runs again
      if (xy.length !== pts.length + 1) {
        lines.push(...boundaryLines(view, [[ring]]));
        continue;
      }
      let run = null;
      for (let i = 0; i < pts.length; i++) {
        if (fake[i]) {
          if (run && run.length > 1) lines.push(run);
          run = null;
        } else {
          if (!run) run = [xy[i]];
          run.push(xy[i + 1]);
        }
      }
      // (a run through the ring's first vertex is drawn as two lines meeting there)
      if (run && run.length > 1) lines.push(run);
    }
  }
  if (holdsPoint(polygons, view.antipode[0], view.antipode[1])) fills.push(view.rimRing());
  return { fills, lines };
}

// Projected boundary polylines without the artificial edges (strokes).
export function boundaryLines(view, polygons) {
  return realRuns(polygons).map((r) => {
    const line = densify(r.pts, r.closed);
    if (r.closed) line.push(line[0]);
    return view.projectLine(line);
  });
}

// Graticule lines (lon/lat polylines): parallels and meridians every stepDeg;
// meridians stop at +-maxLat so the poles stay clear.
export function graticule(stepDeg = 30, maxLat = 80) {
  const lines = [];
  for (let lon = -180; lon < 180; lon += stepDeg) {
    const line = [];
    for (let lat = -maxLat; lat <= maxLat; lat += DENSIFY_DEG) line.push([lon, lat]);
    lines.push(line);
  }
  for (let lat = -60; lat <= 60; lat += stepDeg) {
    const line = [];
    for (let lon = -180; lon <= 180; lon += DENSIFY_DEG) line.push([lon, lat]);
    lines.push(line);
  }
  return lines;
}

// A centre for the view: the normalised mean of the unit vectors of the points
// (lon/lat); falls back to the first point when they cancel out.
export function centreOf(points) {
  let x = 0, y = 0, z = 0;
  for (const p of points) {
    const u = unit(p);
    x += u[0]; y += u[1]; z += u[2];
  }
  const n = Math.hypot(x, y, z);
  if (!points.length) return [20, 50];
  if (n < 1e-9 * points.length) return points[0];
  return [Math.atan2(y, x) * 180 / Math.PI, Math.asin(z / n) * 180 / Math.PI];
}

// Every vertex of GeoJSON geometries, for centring.
export function verticesOf(geometry, out = []) {
  if (!geometry) return out;
  const walk = (c) => {
    if (typeof c[0] === 'number') out.push(c);
    else c.forEach(walk);
  };
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => verticesOf(g, out));
  else walk(geometry.coordinates);
  return out;
}
