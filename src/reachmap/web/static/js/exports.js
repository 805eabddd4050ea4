// Downloads: GeoJSON (envelopes, isochrones, launch area and the reach places, as the
// API gave them), CSV (every reach row), PNG (the map canvas).

export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function exportGeojson(state, results, areaGeometries) {
  const features = [];
  const push = (fc, layer) => {
    for (const f of (fc && fc.features) || []) {
      features.push({ ...f, properties: { layer, ...(f.properties || {}) } });
    }
  };
  push(results.envelope, 'envelope');
  push(results.isochrones, 'isochrone');
  push(results.vsEnvelope, 'envelope (compared area)');
  for (const g of areaGeometries) features.push({ type: 'Feature', properties: { layer: 'launch area' }, geometry: g });
  for (const a of state.areas) {
    if (a.point) features.push({ type: 'Feature', properties: { layer: 'launch point' }, geometry: { type: 'Point', coordinates: a.point } });
  }
  for (const r of (results.reach && results.reach.targets) || []) {
    const { lon, lat, ...props } = r;
    features.push({ type: 'Feature', properties: { layer: 'place', ...props }, geometry: { type: 'Point', coordinates: [lon, lat] } });
  }
  const fc = { type: 'FeatureCollection', name: state.title || 'reachmap', features };
  download(new Blob([JSON.stringify(fc)], { type: 'application/geo+json' }), 'reachmap.geojson');
}

// A CSV cell; text that a spreadsheet would run as a formula is prefixed with '.
export function csvCell(v) {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function exportCsv(reach) {
  const rows = (reach && reach.targets) || [];
  const cols = ['name', 'country_code', 'lat', 'lon', 'population', 'distance_km', 'status', 'flight_time_s'];
  if (reach && reach.units && reach.units !== 'km') cols.splice(6, 0, `distance_${reach.units}`);
  const lines = [cols.join(',')];
  for (const r of rows) lines.push(cols.map((c) => csvCell(r[c])).join(','));
  download(new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv' }), 'reachmap.csv');
}
