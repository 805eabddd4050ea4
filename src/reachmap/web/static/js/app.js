// The page: a scenario (system or own range, launch areas, places, isochrones, a second
// launch area to compare) in the controls, its envelopes on the map, its reach table
// beside it. Every answer comes from the JSON API; nothing here computes a distance.

import { ApiError, compute, get } from './api.js';
import { $, clear, debounce, el, say, sourceLink, fmtKm } from './dom.js';
import { download, exportCsv, exportGeojson } from './exports.js';
import { centreOf, verticesOf } from './geo.js';
import { COLOURS, ReachMap } from './map.js';
import { Reports } from './reports.js';
import { Scenarios } from './scenarios.js';
import { ReachTable, showCompare, showCoverage, showSummary } from './tables.js';
import { fromKm, lengthOf, rangeIn, unitOf } from './units.js';

const FIELDS = ['from', 'vs', 'system', 'range', 'targets', 'minutes', 'title', 'units'];
const LATLON = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/;

const state = {
  title: '',
  system: '',
  range: '',
  areas: [], // {spec, label} | {point: [lon, lat]} | {geojson, name}
  targets: 'cities',
  minutes: '',
  vs: '',
  units: 'km', // km, mi or nmi: lengths shown, and a bare typed range read, in it
};

const results = { envelope: null, reach: null, isochrones: null, compare: null, coverage: null, vsEnvelope: null };
const areaShapes = new Map(); // spec -> GeoJSON FeatureCollection of the area
const hook = {
  state, results, idle: true, drawn: false, firstRenderMs: null, detailRenderMs: null,
  errors: [], updates: 0,
};
window.reachmap = hook;

let rmap = null;
let table = null;
let systems = [];
let scenarios = null;
let reports = null;
let inflight = null;

// ------------------------------------------------------------------ parameters

function fromParam(areas = state.areas) {
  return areas.map((a) => {
    if (a.spec) return a.spec;
    if (a.point) return `${a.point[1].toFixed(5)},${a.point[0].toFixed(5)}`;
    return a.geojson;
  });
}

function rangeParams() {
  if (state.range.trim()) return { range: rangeIn(state.range.trim(), state.units) };
  if (state.system) return { system: state.system };
  return null;
}

// API field names -> the message beside the control
const ALIASES = { spec: 'from', geojson: 'upload', name: 'system' };

function fieldMessage(field) {
  const f = ALIASES[field] || field;
  return FIELDS.includes(f) || f === 'upload' ? `msg-${f}` : 'msg-general';
}

function clearMessages() {
  for (const f of FIELDS) say(`msg-${f}`, '');
  say('msg-general', '');
}

function showError(err, fallbackField = 'general') {
  if (err && err.name === 'AbortError') return;
  const field = err instanceof ApiError && err.field ? err.field : fallbackField;
  const text = err instanceof ApiError || err instanceof Error ? err.message : String(err);
  hook.errors.push({ field, text });
  say(fieldMessage(field), text);
}

function status(text) {
  $('status').textContent = text;
}

// ------------------------------------------------------------------ the map

function areaGeometries() {
  const out = [];
  for (const a of state.areas) {
    if (a.spec && areaShapes.has(a.spec)) {
      for (const f of areaShapes.get(a.spec).features || []) out.push(f.geometry);
    } else if (a.geojson) {
      const fc = a.geojson.type === 'FeatureCollection' ? a.geojson.features : [a.geojson];
      for (const f of fc) out.push(f.type === 'Feature' ? f.geometry : f);
    }
  }
  return out.filter(Boolean);
}

function drawArea() {
  rmap.setLayer('area', areaGeometries(), { fill: COLOURS.area, stroke: COLOURS.areaLine, width: 1.2 });
  rmap.setPoints(state.areas.map((a, index) => (a.point ? { lon: a.point[0], lat: a.point[1], index } : null)).filter(Boolean));
}

function recentre() {
  const pts = [];
  for (const g of areaGeometries()) verticesOf(g, pts);
  for (const a of state.areas) if (a.point) pts.push(a.point);
  if (!pts.length) return;
  const [lon, lat] = centreOf(pts);
  rmap.recentre(lon, lat, 6000e3);
}

function featuresOf(fc) {
  return fc && fc.features ? fc.features : [];
}

function drawResults() {
  const env = featuresOf(results.envelope);
  const low = env.filter((f) => (f.properties || {}).band !== 'possibly within');
  const high = env.filter((f) => (f.properties || {}).band === 'possibly within');
  rmap.setLayer('high', high.map((f) => f.geometry), { fill: COLOURS.high, stroke: COLOURS.highLine, width: 1, dash: [4, 3] });
  rmap.setLayer('low', low.map((f) => f.geometry), { fill: COLOURS.low, stroke: COLOURS.highLine, width: 1.5 });
  rmap.setLayer('iso', featuresOf(results.isochrones).map((f) => f.geometry), { stroke: COLOURS.iso, width: 1.5 });
  rmap.setLayer('vs', featuresOf(results.vsEnvelope).map((f) => f.geometry), { stroke: COLOURS.vs, width: 2, dash: [6, 4] });
  const rows = results.reach ? results.reach.targets || [] : [];
  rmap.setPlaces(rows.filter((r) => r.within !== false));
  table.set(rows);
  showSummary(results.reach, state.units);
  showCoverage(results.coverage);
  showCompare(results.compare);
  drawLegend();
  hook.drawn = env.length > 0;
}

function drawLegend() {
  const box = clear($('legend'));
  const add = (cls, text) => box.append(el('li', {}, el('span', { class: `swatch ${cls}` }), text));
  const env = featuresOf(results.envelope);
  for (const f of env) {
    const p = f.properties || {};
    const cls = p.band === 'possibly within' ? 'sw-high' : 'sw-low';
    add(cls, `${p.band || 'within'}: ${fmtKm(lengthOf(p, 'range', state.units))} ${state.units}${p.system_name ? ` (${p.system_name})` : ''}`);
  }
  if (featuresOf(results.isochrones).length) {
    const mins = featuresOf(results.isochrones).map((f) => (f.properties || {}).minutes).filter((m) => m !== undefined);
    add('sw-iso', `isochrones: ${mins.join(', ')} min of flight`);
  }
  if (featuresOf(results.vsEnvelope).length) add('sw-vs', `from ${state.vs}`);
  if (state.areas.length) add('sw-area', 'launch area');
}

// ------------------------------------------------------------------ computing

async function update({ refit = false, coverage = true } = {}) {
  if (inflight) inflight.abort();
  const ctl = new AbortController();
  inflight = ctl;
  clearMessages();
  const rp = rangeParams();
  if (!state.areas.length || !rp) {
    for (const k of Object.keys(results)) results[k] = null;
    drawResults();
    status(!state.areas.length ? 'Add a launch area.' : 'Pick a system or enter a range.');
    return;
  }
  hook.idle = false;
  hook.updates += 1;
  status('Computing…');
  const from = fromParam();
  const base = { from, ...rp };
  // the reach table in the chosen unit (the API adds distance_<unit>); the others show
  // no distance, and coverage is costly to compute again for another unit
  const inUnits = state.units === 'km' ? {} : { units: state.units };
  const sig = ctl.signal;
  const jobs = {
    envelope: compute('/api/envelope', base, sig),
    reach: compute('/api/reach', { ...base, ...inUnits, targets: state.targets }, sig),
    isochrones: state.minutes.trim() && state.system && !state.range.trim()
      ? compute('/api/isochrones', { ...base, minutes: state.minutes.trim() }, sig) : null,
    compare: state.vs.trim()
      ? compute('/api/compare', { ...base, vs: [state.vs.trim()], targets: state.targets === 'cities' ? 'capitals' : state.targets }, sig) : null,
    vsEnvelope: state.vs.trim() ? compute('/api/envelope', { from: [state.vs.trim()], ...rp }, sig) : null,
  };
  if (state.minutes.trim() && !jobs.isochrones) {
    say('msg-minutes', 'Isochrones need a catalog system (its flight model), not an own range.', 'info');
  }
  const fieldOf = { envelope: 'general', reach: 'targets', isochrones: 'minutes', compare: 'vs', vsEnvelope: 'vs' };
  let failed = false;
  await Promise.all(Object.entries(jobs).map(async ([k, p]) => {
    try {
      results[k] = p ? await p : null;
    } catch (err) {
      results[k] = null;
      if (err.name !== 'AbortError') {
        failed = true;
        showError(err, fieldOf[k]);
      }
    }
  }));
  if (ctl.signal.aborted) return;
  results.coverage = null; // recomputed below for this scenario
  drawResults();
  if (refit && results.envelope) rmap.fitLayers(['high', 'low']);
  status(failed ? 'Some answers failed: see the messages.' : '');
  inflight = null;
  hook.idle = true;
  // country coverage after the rest (it measures every country's area within range);
  // not while a point is being dragged
  if (!coverage) return;
  try {
    results.coverage = await compute('/api/reach', { ...base, targets: 'countries' }, sig);
    if (!ctl.signal.aborted) showCoverage(results.coverage);
  } catch (err) {
    if (err.name !== 'AbortError') showError(err, 'targets');
  }
}

const updateSoon = debounce(() => update({ coverage: false }), 300);

async function addArea(text) {
  const spec = text.trim();
  if (!spec) return;
  say('msg-from', '');
  const m = LATLON.exec(spec);
  if (m) {
    const lat = Number(m[1]), lon = Number(m[2]);
    if (Math.abs(lat) <= 90 && Math.abs(lon) <= 180) {
      $('area').value = '';
      await setAreas([...state.areas, { point: [lon, lat] }]);
      return;
    }
  }
  try {
    const shape = await get(`/api/areas/${encodeURIComponent(spec)}`, { format: 'geojson' });
    areaShapes.set(spec, shape);
    const props = shape && shape.features && shape.features[0] ? shape.features[0].properties || {} : {};
    $('area').value = '';
    await setAreas([...state.areas, { spec, label: props.label || props.name || spec }]);
  } catch (err) {
    showError(err, 'from');
  }
}

async function setAreas(areas) {
  state.areas = areas;
  for (const a of areas) {
    if (a.spec && !areaShapes.has(a.spec)) {
      try {
        areaShapes.set(a.spec, await get(`/api/areas/${encodeURIComponent(a.spec)}`, { format: 'geojson' }));
      } catch (err) {
        showError(err, 'from');
      }
    }
  }
  drawChips();
  recentre();
  drawArea();
  await update({ refit: true });
}

function drawChips() {
  const box = clear($('areas'));
  state.areas.forEach((a, i) => {
    const label = a.spec ? a.label || a.spec : a.point ? `${a.point[1].toFixed(3)}, ${a.point[0].toFixed(3)}` : a.name || 'GeoJSON';
    const rm = el('button', { type: 'button', title: 'Remove', 'aria-label': `Remove ${label}`, text: '×' });
    rm.addEventListener('click', () => setAreas(state.areas.filter((_, j) => j !== i)));
    box.append(el('li', {}, label, rm));
  });
}

// ------------------------------------------------------------------ controls

function showSystem() {
  const box = clear($('system-info'));
  const s = systems.find((x) => x.id === state.system);
  if (!s) return;
  const r = s.range_km || {};
  const u = state.units, lo = fromKm(r.low, u), hi = fromKm(r.high, u);
  box.append(el('p', { text: `${s.name}: ${s.class || ''}, ${s.status || ''}. Range ${lo && hi && lo !== hi ? `${fmtKm(lo)}–${fmtKm(hi)}` : fmtKm(hi || lo)} ${u}.` }));
  if (r.note) box.append(el('p', { class: 'note', text: r.note }));
  const srcIds = new Set(r.sources || []);
  const list = el('ul', { class: 'note' });
  for (const src of s.sources || []) {
    if (srcIds.size && !srcIds.has(src.id)) continue;
    list.append(el('li', {}, sourceLink(src.url, `${src.publisher}, “${src.title}”, ${src.date}`)));
  }
  box.append(list);
}

function systemLabel(s) {
  const r = s.range_km || {};
  return `${s.name} (${fmtKm(fromKm(r.high || r.low, state.units))} ${state.units})`;
}

// Labels, the table and the range field's unit follow state.units.
function showUnits() {
  $('units').value = state.units;
  $('range-label').textContent = `Own range (${state.units}, or low,high)`;
  table.setUnit(state.units);
  for (const opt of $('system').options) {
    const s = systems.find((x) => x.id === opt.value);
    if (s) opt.textContent = systemLabel(s);
  }
  showSystem();
}

async function loadSystems() {
  try {
    systems = await get('/api/systems');
    const sel = $('system');
    for (const s of systems) {
      sel.append(el('option', { value: s.id, text: systemLabel(s) }));
    }
    sel.value = state.system;
  } catch (err) {
    showError(err, 'system');
  }
}

async function loadSuggestions(countries) {
  const list = $('area-list');
  const names = new Set();
  for (const f of (countries && countries.features) || []) {
    const p = f.properties || {};
    if (p.name) names.add(p.name);
  }
  try {
    const sites = await get('/api/sites');
    for (const s of sites) list.append(el('option', { value: s.id, text: s.name }));
  } catch (err) {
    // the country names still work; the API's message goes beside the field
    showError(err, 'from');
  }
  for (const n of [...names].sort()) list.append(el('option', { value: n }));
}

function bindControls() {
  $('system').addEventListener('change', (e) => {
    state.system = e.target.value;
    showSystem();
    update({ refit: true });
  });
  $('range').addEventListener('change', (e) => {
    state.range = e.target.value;
    update({ refit: true });
  });
  $('area').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') addArea(e.target.value);
  });
  $('area-add').addEventListener('click', () => addArea($('area').value));
  $('units').addEventListener('change', (e) => {
    state.units = unitOf(e.target.value);
    showUnits();
    drawResults(); // labels at once; the tables in the unit come with the answers
    update();
  });
  $('targets').addEventListener('change', (e) => {
    state.targets = e.target.value;
    update();
  });
  $('minutes').addEventListener('change', (e) => {
    state.minutes = e.target.value;
    update();
  });
  $('vs').addEventListener('change', (e) => {
    state.vs = e.target.value;
    update();
  });
  $('title').addEventListener('input', (e) => {
    state.title = e.target.value;
    document.title = state.title ? `${state.title} · reachmap` : 'reachmap';
  });
  $('upload').addEventListener('change', (e) => {
    const file = e.target.files && e.target.files[0];
    if (!file) return;
    say('msg-upload', '');
    const reader = new FileReader();
    reader.onload = () => {
      let data = null;
      try {
        data = JSON.parse(reader.result);
      } catch (err) {
        say('msg-upload', `${file.name} is not JSON: ${err.message}`);
        return;
      }
      if (!data || !['FeatureCollection', 'Feature', 'Polygon', 'MultiPolygon', 'Point', 'MultiPoint'].includes(data.type)) {
        say('msg-upload', `${file.name} is not a GeoJSON object (its "type" is missing or unknown)`);
        return;
      }
      setAreas([...state.areas, { geojson: data, name: file.name }]);
    };
    reader.readAsText(file);
  });
  $('export-geojson').addEventListener('click', () => exportGeojson(state, results, areaGeometries()));
  $('export-csv').addEventListener('click', () => exportCsv(results.reach));
  $('export-png').addEventListener('click', () => {
    rmap.map.once('rendercomplete', () => {
      rmap.snapshot().toBlob((blob) => download(blob, 'reachmap.png'));
    });
    rmap.map.renderSync();
  });
  $('open-report').addEventListener('click', () => reports.build());
  $('save').addEventListener('click', () => scenarios.save());
  $('delete').addEventListener('click', () => scenarios.remove());
}

function bindMap() {
  rmap.map.on('singleclick', (e) => {
    if (!$('click-add').checked) return;
    const [lon, lat] = rmap.lonLatAt(e.coordinate);
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    state.areas = [...state.areas, { point: [lon, lat] }];
    drawChips();
    drawArea();
    update({ refit: state.areas.length === 1 });
  });
  const moved = (e, now) => {
    for (const f of e.features.getArray()) {
      const i = f.get('index');
      const [lon, lat] = rmap.lonLatAt(f.getGeometry().getCoordinates());
      if (state.areas[i] && state.areas[i].point && Number.isFinite(lon)) {
        state.areas[i] = { point: [lon, lat] };
        f.set('lonlat', [lon, lat]);
      }
    }
    drawChips();
    if (now) update();
    else updateSoon();
  };
  rmap.translate.on('translating', (e) => moved(e, false));
  rmap.translate.on('translateend', (e) => moved(e, true));
}

// A scenario as stored and shared (the page's own fields).
export function scenarioOf() {
  return {
    title: state.title,
    system: state.system || null,
    range: state.range || null,
    from: state.areas.map((a) => (a.spec ? { spec: a.spec, label: a.label } : a.point ? { point: a.point } : { geojson: a.geojson, name: a.name })),
    targets: state.targets,
    minutes: state.minutes || null,
    vs: state.vs || null,
    units: state.units,
  };
}

export async function applyScenario(s) {
  state.title = s.title || '';
  state.system = s.system || '';
  state.range = s.range || '';
  state.targets = s.targets || 'cities';
  state.minutes = s.minutes || '';
  state.vs = s.vs || '';
  state.units = unitOf(s.units); // scenarios saved before units: km
  $('title').value = state.title;
  document.title = state.title ? `${state.title} · reachmap` : 'reachmap';
  $('system').value = state.system;
  $('range').value = state.range;
  $('targets').value = state.targets;
  $('minutes').value = state.minutes;
  $('vs').value = state.vs;
  showUnits();
  await setAreas((s.from || []).map((a) => ({ ...a })));
}

async function start() {
  const map = new ReachMap('map');
  rmap = map;
  hook.map = map;
  hook.pixelOf = (lon, lat) => map.pixelOf(lon, lat);
  // The first frame draws the coarse outline (0.2 deg); the detailed one (0.05 deg)
  // is fetched meanwhile and projected after that frame, off the way to it.
  let detail = null;
  map.onFirstDraw = () => {
    hook.firstRenderMs = performance.now();
    setTimeout(() => {
      if (!detail) return;
      detail.then((c) => {
        map.setCountries(c);
        hook.detailRenderMs = performance.now();
        loadSuggestions(c);
      }).catch((err) => {
        showError(err);
        loadSuggestions(null); // the sites still come
      });
    }, 0);
  };
  table = new ReachTable((r) => map.locate(r.lon, r.lat));
  scenarios = new Scenarios({ state, scenarioOf, applyScenario, say });
  reports = new Reports({ scenarioOf, showFieldError: (field, text) => say(fieldMessage(field), text) });
  bindControls();
  bindMap();
  status('Loading outlines…');
  const outlines = fetch('/static/countries-coarse.json').then((r) => r.json());
  detail = fetch('/static/countries.json').then((r) => r.json());
  const sys = loadSystems();
  outlines.then((c) => {
    map.setCountries(c);
    status('');
  }).catch((err) => showError(err));
  await sys;
  await scenarios.probe();
  reports.enable(scenarios.hasReports);
  const id = new URLSearchParams(window.location.search).get('s');
  if (id) await scenarios.load(id);
}

start();
