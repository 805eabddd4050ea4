// The map: OpenLayers with an azimuthal equidistant view (proj4) centred on the launch
// area. Regions (land, envelopes, isochrones, the launch area) are projected in
// geo.js and drawn by one canvas layer with the even-odd rule (OpenLayers' own vector
// renderer would reorient the rings); launch points and the located place are
// OpenLayers features, so they can be dragged and hit.

/* global ol, proj4 */

import {
  AeqdView, CLAMP_M, VIEW_RADIUS_M, boundaryLines, graticule, outlinePaths, polygonsOf,
  regionRings,
} from './geo.js';

export const COLOURS = {
  outside: '#e9e9e6',
  sea: '#dbe7f0',
  land: '#f6f4ee',
  border: '#9a9a94',
  graticule: '#c5d3de',
  high: 'rgba(213, 94, 0, 0.22)',
  highLine: '#d55e00',
  low: 'rgba(213, 94, 0, 0.42)',
  vs: '#0072b2',
  iso: '#6a3d9a',
  area: 'rgba(0, 0, 0, 0.35)',
  areaLine: '#222222',
  place: 'rgba(40, 40, 40, 0.55)',
};

function pathOf(rings, closed) {
  const p = new Path2D();
  for (const ring of rings) {
    if (ring.length < 2) continue;
    p.moveTo(ring[0][0], ring[0][1]);
    for (let i = 1; i < ring.length; i++) p.lineTo(ring[i][0], ring[i][1]);
    if (closed) p.closePath();
  }
  return p;
}

function extentOf(rings, ext = [Infinity, Infinity, -Infinity, -Infinity]) {
  for (const ring of rings) {
    for (const [x, y] of ring) {
      if (Math.hypot(x, y) >= CLAMP_M) continue; // the rim is not a place
      ext[0] = Math.min(ext[0], x); ext[1] = Math.min(ext[1], y);
      ext[2] = Math.max(ext[2], x); ext[3] = Math.max(ext[3], y);
    }
  }
  return ext;
}

export class ReachMap {
  constructor(target) {
    ol.proj.proj4.register(proj4);
    this.geo = null; // AeqdView
    this.countries = null; // GeoJSON
    this.layers = {}; // name -> {polygons, fill, stroke, width, dash}
    this.paths = {}; // name -> {fill: Path2D|null, line: Path2D|null, extent}
    this.places = []; // [{lon, lat, xy}]
    this.onFirstDraw = null;
    this.drawn = 0;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'rm-canvas';
    const base = new ol.layer.Layer({ render: (fs) => this.render(fs) });
    this.pointSource = new ol.source.Vector();
    this.markerSource = new ol.source.Vector();
    const pointStyle = new ol.style.Style({
      image: new ol.style.Circle({
        radius: 7,
        fill: new ol.style.Fill({ color: '#ffffff' }),
        stroke: new ol.style.Stroke({ color: COLOURS.areaLine, width: 3 }),
      }),
    });
    const markerStyle = new ol.style.Style({
      image: new ol.style.Circle({
        radius: 9,
        fill: new ol.style.Fill({ color: 'rgba(0, 114, 178, 0.25)' }),
        stroke: new ol.style.Stroke({ color: COLOURS.vs, width: 2 }),
      }),
    });
    this.pointLayer = new ol.layer.Vector({ source: this.pointSource, style: pointStyle });
    const markerLayer = new ol.layer.Vector({ source: this.markerSource, style: markerStyle });
    this.map = new ol.Map({
      target,
      layers: [base, markerLayer, this.pointLayer],
      controls: ol.control.defaults.defaults({ attribution: false, rotate: false }),
      interactions: ol.interaction.defaults.defaults({ altShiftDragRotate: false, pinchRotate: false }),
    });
    this.translate = new ol.interaction.Translate({ layers: [this.pointLayer] });
    this.map.addInteraction(this.translate);
    this.recentre(31.0, 53.5, 4000e3);
  }

  // A new view centred on (lon0, lat0) showing about radiusM around it.
  recentre(lon0, lat0, radiusM) {
    this.geo = new AeqdView(lon0, lat0);
    proj4.defs(this.geo.code, this.geo.def);
    ol.proj.proj4.register(proj4);
    const projection = ol.proj.get(this.geo.code);
    const R = VIEW_RADIUS_M;
    projection.setExtent([-R, -R, R, R]);
    const view = new ol.View({
      projection,
      center: [0, 0],
      extent: [-R, -R, R, R],
      showFullExtent: true,
      constrainOnlyCenter: true,
      maxResolution: 2 * R / 256,
    });
    this.map.setView(view);
    this.fitRadius(radiusM);
    this.reprojectAll();
  }

  fitRadius(radiusM) {
    const r = Math.min(Math.max(radiusM, 200e3), VIEW_RADIUS_M);
    this.map.getView().fit([-r, -r, r, r], { size: this.map.getSize(), padding: [10, 10, 10, 10] });
  }

  fitLayers(names) {
    let ext = [Infinity, Infinity, -Infinity, -Infinity];
    for (const n of names) {
      if (this.paths[n]) ext = extentOf(this.paths[n].rings, ext);
    }
    if (!Number.isFinite(ext[0])) return;
    const pad = 0.04 * Math.max(ext[2] - ext[0], ext[3] - ext[1], 400e3);
    this.map.getView().fit([ext[0] - pad, ext[1] - pad, ext[2] + pad, ext[3] + pad], {
      size: this.map.getSize(),
    });
  }

  // The background outlines (a coarse one first, then the detailed one: only they are
  // projected again, not the overlays).
  setCountries(geojson) {
    this.countries = geojson;
    this.projectCountries();
    this.map.render();
  }

  projectCountries() {
    if (!this.countries) return;
    const polys = this.countries.features.flatMap((f) => polygonsOf(f.geometry));
    const { fills, lines } = outlinePaths(this.geo, polys);
    this.landPath = pathOf(fills, true);
    this.borderPath = pathOf(lines, false);
  }

  // A named overlay: GeoJSON geometries drawn as a region (fill and outline).
  setLayer(name, geometries, style) {
    if (!geometries || !geometries.length) {
      delete this.layers[name];
      delete this.paths[name];
    } else {
      this.layers[name] = { geometries, ...style };
      this.projectLayer(name);
    }
    this.map.render();
  }

  projectLayer(name) {
    const layer = this.layers[name];
    const polygons = layer.geometries.flatMap(polygonsOf);
    const rings = regionRings(this.geo, polygons);
    const lines = layer.stroke ? boundaryLines(this.geo, polygons) : [];
    this.paths[name] = {
      rings,
      fill: layer.fill ? pathOf(rings, true) : null,
      line: layer.stroke ? pathOf(lines, false) : null,
    };
  }

  setPlaces(places) {
    this.places = places.map((p) => ({ ...p, xy: this.geo.project(p.lon, p.lat) }));
    this.map.render();
  }

  reprojectAll() {
    const g = this.geo;
    this.projectCountries();
    this.gratPath = pathOf(graticule().map((l) => g.projectLine(l)), false);
    const disc = new Path2D();
    disc.arc(0, 0, CLAMP_M, 0, 2 * Math.PI);
    this.discPath = disc;
    for (const name of Object.keys(this.layers)) this.projectLayer(name);
    this.places = this.places.map((p) => ({ ...p, xy: g.project(p.lon, p.lat) }));
    for (const f of this.pointSource.getFeatures()) {
      const ll = f.get('lonlat');
      f.getGeometry().setCoordinates(g.project(ll[0], ll[1]).slice(0, 2));
    }
    for (const f of this.markerSource.getFeatures()) {
      const ll = f.get('lonlat');
      f.getGeometry().setCoordinates(g.project(ll[0], ll[1]).slice(0, 2));
    }
    this.map.render();
  }

  // Launch points that can be dragged: [{lon, lat, index}]
  setPoints(points) {
    this.pointSource.clear();
    for (const p of points) {
      const f = new ol.Feature(new ol.geom.Point(this.geo.project(p.lon, p.lat).slice(0, 2)));
      f.set('lonlat', [p.lon, p.lat]);
      f.set('index', p.index);
      this.pointSource.addFeature(f);
    }
  }

  locate(lon, lat) {
    this.markerSource.clear();
    const xy = this.geo.project(lon, lat).slice(0, 2);
    const f = new ol.Feature(new ol.geom.Point(xy));
    f.set('lonlat', [lon, lat]);
    this.markerSource.addFeature(f);
    this.map.getView().animate({ center: xy, duration: 300 });
  }

  lonLatAt(coordinate) {
    return this.geo.unproject(coordinate[0], coordinate[1]);
  }

  // CSS pixel [x, y] in the map element of a lon/lat point (for tests and labels)
  pixelOf(lon, lat) {
    return this.map.getPixelFromCoordinate(this.geo.project(lon, lat).slice(0, 2));
  }

  render(fs) {
    const c = this.canvas;
    const pr = fs.pixelRatio;
    const w = Math.round(fs.size[0] * pr), h = Math.round(fs.size[1] * pr);
    if (c.width !== w || c.height !== h) {
      c.width = w;
      c.height = h;
      c.style.width = `${fs.size[0]}px`;
      c.style.height = `${fs.size[1]}px`;
    }
    const ctx = c.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = COLOURS.outside;
    ctx.fillRect(0, 0, w, h);
    const t = fs.coordinateToPixelTransform;
    ctx.setTransform(t[0] * pr, t[1] * pr, t[2] * pr, t[3] * pr, t[4] * pr, t[5] * pr);
    const px = 1 / (Math.hypot(t[0], t[1]) * pr); // map metres per device pixel
    ctx.save();
    ctx.fillStyle = COLOURS.sea;
    ctx.fill(this.discPath);
    ctx.clip(this.discPath);
    if (this.landPath) {
      ctx.fillStyle = COLOURS.land;
      ctx.fill(this.landPath, 'evenodd');
    }
    ctx.lineJoin = 'round';
    ctx.strokeStyle = COLOURS.graticule;
    ctx.lineWidth = 0.8 * px * pr;
    ctx.stroke(this.gratPath);
    if (this.borderPath) {
      ctx.strokeStyle = COLOURS.border;
      ctx.lineWidth = 0.6 * px * pr;
      ctx.stroke(this.borderPath);
    }
    for (const name of Object.keys(this.layers)) {
      const layer = this.layers[name], path = this.paths[name];
      if (!path) continue;
      if (path.fill) {
        ctx.fillStyle = layer.fill;
        ctx.fill(path.fill, 'evenodd');
      }
      if (path.line) {
        ctx.strokeStyle = layer.stroke;
        ctx.lineWidth = (layer.width || 1.5) * px * pr;
        ctx.setLineDash(layer.dash ? layer.dash.map((d) => d * px * pr) : []);
        ctx.stroke(path.line);
        ctx.setLineDash([]);
      }
    }
    ctx.restore();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = COLOURS.place;
    const s = Math.max(1, Math.round(1.5 * pr));
    for (const p of this.places) {
      const x = (t[0] * p.xy[0] + t[2] * p.xy[1] + t[4]) * pr;
      const y = (t[1] * p.xy[0] + t[3] * p.xy[1] + t[5]) * pr;
      if (x >= 0 && y >= 0 && x < w && y < h) ctx.fillRect(x - s / 2, y - s / 2, s, s);
    }
    if (this.landPath) {
      this.drawn += 1;
      if (this.drawn === 1 && this.onFirstDraw) this.onFirstDraw();
    }
    return c;
  }

  // The map as one PNG canvas (base layer and the OpenLayers vector layers).
  snapshot() {
    const size = this.map.getSize();
    const out = document.createElement('canvas');
    const viewport = this.map.getViewport();
    const canvases = viewport.querySelectorAll('canvas');
    const first = canvases[0];
    const ratio = first ? first.width / size[0] : 1;
    out.width = Math.round(size[0] * ratio);
    out.height = Math.round(size[1] * ratio);
    const ctx = out.getContext('2d');
    for (const cv of canvases) {
      if (cv.width > 0) ctx.drawImage(cv, 0, 0, out.width, out.height);
    }
    return out;
  }
}
