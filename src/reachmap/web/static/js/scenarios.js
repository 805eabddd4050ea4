// Saved and shared scenarios (/api/scenarios): saving creates one (an id and an owner
// token); the link /?s=<id> reloads it for anyone; only the owner, whose token stays in
// this browser's localStorage, can change or delete it. Others save a copy. A save sends
// the version it read: if another tab saved first (409), the page asks whether to load
// theirs or overwrite it with this one.

import { get, send } from './api.js';
import { $, clear, el } from './dom.js';

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
  if (token) t[id] = token;
  else delete t[id];
  localStorage.setItem(KEY, JSON.stringify(t));
}

export class Scenarios {
  constructor({ state, scenarioOf, applyScenario, say }) {
    this.state = state;
    this.scenarioOf = scenarioOf;
    this.apply = applyScenario;
    this.say = say;
    this.id = null;
    this.version = null;
    this.canSave = false;
    this.hasReports = false;
  }

  // What this server offers, from its OpenAPI schema: the scenario store and reports.
  async probe() {
    try {
      const schema = await get('/openapi.json');
      const paths = Object.keys(schema.paths || {});
      this.canSave = paths.includes('/api/scenarios');
      this.hasReports = paths.includes('/api/reports');
    } catch (err) {
      this.canSave = false;
      this.hasReports = false;
    }
    $('save').disabled = !this.canSave;
    $('save').title = this.canSave ? '' : 'this server does not store scenarios';
  }

  owner() {
    return this.id ? tokens()[this.id] || null : null;
  }

  showLink() {
    const box = $('share');
    box.value = `${window.location.origin}/?s=${encodeURIComponent(this.id)}`;
    box.classList.remove('hidden');
    $('owner-note').textContent = this.owner() ? 'yours: saving updates it' : 'shared with you: saving makes a copy';
    $('delete').classList.toggle('hidden', !this.owner());
  }

  async load(id) {
    this.choose(null);
    try {
      const body = await get(`/api/scenarios/${encodeURIComponent(id)}`);
      this.id = body.id || id;
      this.version = body.version || null;
      await this.apply(body.scenario || body);
      this.showLink();
    } catch (err) {
      this.say('msg-save', `could not load scenario ${id}: ${err.message}`, 'error');
    }
  }

  async save(overwrite = false) {
    this.choose(null);
    const scenario = this.scenarioOf();
    const token = this.owner();
    try {
      if (this.id && token) {
        const change = { title: scenario.title, scenario };
        if (!overwrite && this.version) change.version = this.version;
        const saved = await send('PUT', `/api/scenarios/${encodeURIComponent(this.id)}`, change, token);
        this.version = saved.version;
      } else {
        const made = await send('POST', '/api/scenarios', { title: scenario.title, scenario });
        this.id = made.id;
        this.version = made.version;
        keep(made.id, made.token || made.owner_token);
        window.history.replaceState(null, '', `/?s=${encodeURIComponent(made.id)}`);
      }
      this.showLink();
      this.say('msg-save', 'Saved. Anyone with the link sees this scenario.', 'ok');
    } catch (err) {
      if (err.status === 409) {
        this.say('msg-save', '');
        this.choose('This scenario was saved elsewhere (another tab or browser) since you loaded it. Keep which?', [
          ['Load theirs', () => this.load(this.id)],
          ['Overwrite with mine', () => this.save(true)],
          ['Cancel', () => this.choose(null)],
        ]);
        return;
      }
      this.say('msg-save', err.message, 'error');
    }
  }

  remove() {
    if (!this.owner()) return;
    this.choose('Delete this scenario for good? Its link stops working for everyone.', [
      ['Delete', () => this.reallyRemove()],
      ['Cancel', () => this.choose(null)],
    ]);
  }

  async reallyRemove() {
    this.choose(null);
    try {
      await send('DELETE', `/api/scenarios/${encodeURIComponent(this.id)}`, undefined, this.owner());
      keep(this.id, null);
      this.id = null;
      this.version = null;
      window.history.replaceState(null, '', '/');
      $('share').classList.add('hidden');
      $('delete').classList.add('hidden');
      $('owner-note').textContent = '';
      this.say('msg-save', 'Deleted. Saving again makes a new scenario with a new link.', 'ok');
    } catch (err) {
      this.say('msg-save', err.message, 'error');
    }
  }

  // A question with buttons beside the save button (null: none).
  choose(text, options = []) {
    const box = $('choice');
    box.classList.toggle('hidden', !text);
    $('choice-text').textContent = text || '';
    const buttons = clear($('choice-buttons'));
    for (const [label, act] of options) buttons.append(el('button', { type: 'button', text: label, onclick: act }));
  }
}
