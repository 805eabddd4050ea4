// The JSON API (docs/web.md): GET with query parameters named as the CLI's options,
// POST with the same names as JSON fields (used when an uploaded GeoJSON area is part
// of the request). Every 4xx carries {"error": {"code", "message", "field"}}.

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

async function parse(resp) {
  let body = null;
  try {
    body = await resp.json();
  } catch (e) {
    body = null;
  }
  if (!resp.ok) {
    const err = body && body.error ? body.error : {};
    throw new ApiError(
      resp.status,
      err.code || `http_${resp.status}`,
      err.message || `the server answered ${resp.status} ${resp.statusText}`,
      err.field || null,
    );
  }
  return body;
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => q.append(k, x));
    else q.append(k, String(v));
  }
  return q.toString();
}

export async function get(path, params = {}, signal = undefined) {
  const qs = query(params);
  const resp = await fetch(qs ? `${path}?${qs}` : path, {
    headers: { Accept: 'application/json' },
    signal,
  });
  return parse(resp);
}

export async function send(method, path, body, token = null, signal = undefined) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const resp = await fetch(path, { method, headers, body: JSON.stringify(body), signal });
  return parse(resp);
}

// GET, or POST when uploaded GeoJSON areas are among `from` (strings stay in `from`;
// the objects go, joined into one FeatureCollection, in the `geojson` field).
export function compute(path, params, signal) {
  const from = params.from || [];
  const objects = from.filter((x) => typeof x === 'object' && x !== null);
  if (!objects.length) return get(path, params, signal);
  const features = [];
  for (const o of objects) {
    if (o.type === 'FeatureCollection') features.push(...(o.features || []));
    else if (o.type === 'Feature') features.push(o);
    else features.push({ type: 'Feature', properties: {}, geometry: o });
  }
  const body = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') body[k] = v;
  }
  body.from = from.filter((x) => typeof x === 'string');
  body.geojson = { type: 'FeatureCollection', features };
  return send('POST', path, body, null, signal);
}
