// The reach table (sortable, a row locates its place), the country coverage and the
// forward-basing comparison. Text goes in with textContent only (dom.js).

import { $, clear, el, fmtInt, fmtKm, fmtTime } from './dom.js';
import { lengthOf } from './units.js';

const MAX_ROWS = 500; // rows drawn; exports hold them all

export class ReachTable {
  constructor(onLocate) {
    this.table = $('reach-table');
    this.body = this.table.querySelector('tbody');
    this.rows = [];
    this.unit = 'km';
    this.key = 'distance_km';
    this.asc = true;
    this.onLocate = onLocate;
    for (const th of this.table.querySelectorAll('th.sortable')) {
      th.addEventListener('click', () => this.sortBy(th.dataset.key));
    }
  }

  sortBy(key) {
    if (key === this.key) this.asc = !this.asc;
    else {
      this.key = key;
      this.asc = key !== 'population';
    }
    this.draw();
  }

  set(rows) {
    this.rows = rows || [];
    this.draw();
  }

  // Distances in `unit` (the API's distance_<unit>), header and sort key with them.
  setUnit(unit) {
    const key = `distance_${unit}`;
    if (this.key.startsWith('distance_')) this.key = key;
    const th = $('distance-head');
    th.dataset.key = key;
    th.textContent = unit;
    this.unit = unit;
  }

  sorted() {
    const k = this.key, sign = this.asc ? 1 : -1;
    const val = (r) => {
      const v = k.startsWith('distance_') ? lengthOf(r, 'distance', this.unit) : r[k];
      return v === null || v === undefined ? null : v;
    };
    return [...this.rows].sort((a, b) => {
      const x = val(a), y = val(b);
      if (x === null && y === null) return 0;
      if (x === null) return 1; // missing values last either way
      if (y === null) return -1;
      return sign * (x < y ? -1 : x > y ? 1 : 0);
    });
  }

  draw() {
    clear(this.body);
    for (const th of this.table.querySelectorAll('th')) {
      th.classList.remove('sorted-asc', 'sorted-desc');
      if (th.dataset.key === this.key) th.classList.add(this.asc ? 'sorted-asc' : 'sorted-desc');
    }
    const rows = this.sorted();
    for (const r of rows.slice(0, MAX_ROWS)) {
      const tr = el(
        'tr',
        { title: r.status || '' },
        el('td', { text: r.name }),
        el('td', { text: r.country_code || '' }),
        el('td', { class: 'num', text: fmtInt(r.population) }),
        el('td', { class: 'num', text: fmtKm(lengthOf(r, 'distance', this.unit)) }),
        el('td', { class: 'num', text: fmtTime(r.flight_time_s) }),
      );
      tr.addEventListener('click', () => {
        for (const s of this.body.querySelectorAll('tr.selected')) s.classList.remove('selected');
        tr.classList.add('selected');
        this.onLocate(r);
      });
      this.body.append(tr);
    }
    const note = $('table-note');
    note.textContent = rows.length > MAX_ROWS
      ? `Showing ${MAX_ROWS.toLocaleString('en-GB')} of ${rows.length.toLocaleString('en-GB')} places; the CSV export holds all.`
      : `${rows.length.toLocaleString('en-GB')} places.`;
  }
}

export function showSummary(reach, unit = 'km') {
  const box = clear($('summary'));
  if (!reach) return;
  const s = reach.summary || {};
  const lines = [
    ['Launch area', reach.area && reach.area.label],
    ['Range', rangeText(reach, unit)],
    ['Places', s.targets],
    ['Within range', s.places_within !== undefined ? `${fmtInt(s.places_within)} places, ${fmtInt(s.population_within)} people` : null],
    ['Possibly within', s.places_possibly_within ? `${fmtInt(s.places_possibly_within)} places, ${fmtInt(s.population_possibly_within)} people (between the low and high range)` : null],
    ['Distance', reach.distance_model],
  ];
  const t = el('table');
  for (const [k, v] of lines) {
    if (v === null || v === undefined || v === '') continue;
    t.append(el('tr', {}, el('td', { text: k }), el('td', { text: String(v) })));
  }
  box.append(t);
}

function rangeText(reach, unit) {
  const hi = lengthOf(reach, 'range', unit), lo = lengthOf(reach, 'range_low', unit);
  if (hi === undefined) return null;
  return lo && lo !== hi ? `${fmtKm(lo)}–${fmtKm(hi)} ${unit}` : `${fmtKm(hi)} ${unit}`;
}

export function showCoverage(cov) {
  const box = clear($('coverage'));
  if (!cov) return;
  const rows = (cov.countries || []).filter((c) => c.status !== 'none' || (c.status_high && c.status_high !== 'none'));
  if (!rows.length) {
    box.append(el('p', { text: 'No country within range.' }));
    return;
  }
  const pct = (x) => (x === undefined || x === null ? '' : `${(100 * x).toFixed(x < 0.1 ? 1 : 0)} %`);
  const head = el('tr', {}, ...['Country', 'Coverage', 'Area share', 'at high range'].map((h) => el('th', { text: h })));
  const t = el('table', {}, head);
  for (const c of rows) {
    t.append(el('tr', {},
      el('td', { text: c.name || c.iso3 || '' }),
      el('td', { text: c.status || '' }),
      el('td', { class: 'num', text: pct(c.area_share) }),
      el('td', { class: 'num', text: c.status_high ? `${c.status_high} ${pct(c.area_share_high)}` : '' })));
  }
  box.append(el('p', { class: 'note', text: `${rows.length} countries fully or partly within range.` }), t);
}

export function showCompare(cmp) {
  const box = clear($('compare'));
  if (!cmp) return;
  const s = cmp.summary || {};
  const lines = [
    ['From', s.from], ['Compared with', s.vs],
    ['Within range from the first', fmtInt(s.places_within_from)],
    ['Within range from the second', fmtInt(s.places_within_vs)],
    ['Newly within', s.places_newly_within !== undefined ? `${fmtInt(s.places_newly_within)} places, ${fmtInt(s.population_newly_within)} people` : null],
    ['No longer within', fmtInt(s.places_no_longer_within)],
    ['Minutes saved (median)', s.minutes_saved_median !== undefined && s.minutes_saved_median !== null ? s.minutes_saved_median.toFixed(1) : null],
    ['Flight profile', s.flight_profile],
  ];
  const t = el('table');
  for (const [k, v] of lines) {
    if (v === null || v === undefined || v === '') continue;
    t.append(el('tr', {}, el('td', { text: k }), el('td', { text: String(v) })));
  }
  box.append(t);
}
