// Saved and shared scenarios (/api/scenarios): saving creates one (an id and an owner
// token); the link /?s=<id> reloads it for anyone; only the owner, whose token stays in
// this browser's localStorage, can change it. Others save a copy.

import { get, query, send } from './api.js';
import { $ } from './dom.js';

const KEY = 'reachmap.tokens';

function tokens() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || '{}');
  } catch (e) {
    return {};
  }
}

function keep(id, token) {
  const t = tokens();
  t[id] = token;
  localStorage.setItem(KEY, JSON.stringify(t));
}

export class Scenarios {
  constructor({ state, scenarioOf, applyScenario, say, fromParam, rangeParams }) {
    this.state = state;
    this.scenarioOf = scenarioOf;
    this.apply = applyScenario;
    this.say = say;
    this.fromParam = fromParam;
    this.rangeParams = rangeParams;
    this.id = null;
    this.canSave = false;
    this.reportPath = null;
  }

  // What this server offers, from its OpenAPI schema: the scenario store and a report.
  async probe() {
    try {
      const schema = await get('/openapi.json');
      const paths = Object.keys(schema.paths || {});
      this.canSave = paths.includes('/api/scenarios');
      this.reportPath = paths.find((p) => /report/.test(p)) || null;
    } catch (err) {
      this.canSave = false;
    }
    $('save').disabled = !this.canSave;
    $('save').title = this.canSave ? '' : 'this server does not store scenarios';
    $('open-report').disabled = !this.reportPath;
    $('open-report').title = this.reportPath ? '' : 'this server has no report endpoint';
  }

  owner() {
    return this.id ? tokens()[this.id] || null : null;
  }

  showLink() {
    const box = $('share');
    box.value = `${window.location.origin}/?s=${encodeURIComponent(this.id)}`;
    box.classList.remove('hidden');
    $('owner-note').textContent = this.owner() ? 'yours: saving updates it' : 'shared with you: saving makes a copy';
  }

  async load(id) {
    try {
      const body = await get(`/api/scenarios/${encodeURIComponent(id)}`);
      this.id = body.id || id;
      await this.apply(body.scenario || body);
      this.showLink();
    } catch (err) {
      this.say('msg-save', `could not load scenario ${id}: ${err.message}`, 'error');
    }
  }

  async save() {
    const scenario = this.scenarioOf();
    const token = this.owner();
    try {
      if (this.id && token) {
        await send('PUT', `/api/scenarios/${encodeURIComponent(this.id)}`, { title: scenario.title, scenario }, token);
      } else {
        const made = await send('POST', '/api/scenarios', { title: scenario.title, scenario });
        this.id = made.id;
        keep(made.id, made.token || made.owner_token);
        window.history.replaceState(null, '', `/?s=${encodeURIComponent(made.id)}`);
      }
      this.showLink();
      this.say('msg-save', 'Saved. Anyone with the link sees this scenario.', 'ok');
    } catch (err) {
      this.say('msg-save', err.message, 'error');
    }
  }

  openReport() {
    if (!this.reportPath) return;
    if (/\{[^}]+\}/.test(this.reportPath)) {
      if (!this.id) {
        this.say('msg-save', 'Save the scenario first: the report is made from the saved scenario.', 'info');
        return;
      }
      window.open(this.reportPath.replace(/\{[^}]+\}/, encodeURIComponent(this.id)), '_blank', 'noopener');
      return;
    }
    const rp = this.rangeParams() || {};
    const from = this.fromParam().filter((x) => typeof x === 'string');
    window.open(`${this.reportPath}?${query({ from, ...rp })}`, '_blank', 'noopener');
  }
}
