// Units of length on the page: km (default), mi or nmi. The API adds `<name>_<unit>`
// beside each `<name>_km` field when asked with `units` (docs/units.md); the page reads
// those, and converts only what it shows from km itself (catalog ranges, envelope
// labels) with the same exact factors.

export const UNITS = ['km', 'mi', 'nmi'];
// kilometres per unit, exact by definition (reachmap.units.LENGTH_UNITS_M)
export const KM_PER = { km: 1, mi: 1.609344, nmi: 1.852 };

const NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function unitOf(value) {
  return UNITS.includes(value) ? value : 'km';
}

// A typed range in `unit`: each bare number of "5500" or "5000,5500" gets the unit
// ("3400mi"); numbers with their own unit ("5500km") are left as typed.
export function rangeIn(text, unit) {
  if (unit === 'km') return text;
  return text.split(',').map((t) => (NUMBER.test(t) ? `${t.trim()}${unit}` : t)).join(',');
}

// km -> unit
export function fromKm(km, unit) {
  return km === null || km === undefined ? km : km / KM_PER[unit];
}

// A length field of an API row in `unit`: `<name>_<unit>` if the API gave it, else
// converted from `<name>_km`.
export function lengthOf(row, name, unit) {
  if (!row) return undefined;
  const own = row[`${name}_${unit}`];
  return own !== undefined ? own : fromKm(row[`${name}_km`], unit);
}
