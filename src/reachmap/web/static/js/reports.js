// The HTML report of the scenario on the screen (/api/reports): the button queues a
// build (a job on the server, seconds to a minute), the status beside it follows the
// job's steps, and a link opens the finished report in a new tab. An error from the API
// is shown beside the button and beside the field it names (scenario.from -> from).

import { ApiError, get, send } from './api.js';
import { $, clear, el, say } from './dom.js';

const POLL_MS = 1000;

export class Reports {
  constructor({ scenarioOf, showFieldError }) {
    this.scenarioOf = scenarioOf;
    this.showFieldError = showFieldError;
    this.available = false;
    this.timer = null;
    this.job = null;
  }

  enable(available) {
    this.available = available;
    $('open-report').disabled = !available;
    $('open-report').title = available ? 'Build the HTML report of this scenario' : 'this server has no report endpoint';
  }

  show(text, kind = 'info') {
    clear($('report-link'));
    say('msg-report', text, kind);
  }

  async build() {
    if (!this.available) return;
    clearTimeout(this.timer);
    this.job = null;
    $('open-report').disabled = true;
    this.show('Asking for the report…');
    try {
      const status = await send('POST', '/api/reports', { scenario: this.scenarioOf() });
      this.job = status.id;
      this.follow(status);
    } catch (err) {
      $('open-report').disabled = false;
      this.show(err.message, 'error');
      if (err instanceof ApiError && err.field && err.field.startsWith('scenario.')) {
        this.showFieldError(err.field.slice('scenario.'.length).replace(/\[\d+\]$/, ''), err.message);
      }
    }
  }

  follow(status) {
    if (status.id !== this.job) return; // a newer build was asked for
    if (status.status === 'done') {
      $('open-report').disabled = false;
      this.show('Report ready: ', 'ok');
      const link = el('a', { href: status.report_url, target: '_blank', rel: 'noopener', id: 'report-open', text: 'open the report' });
      $('report-link').append(link);
      return;
    }
    if (status.status === 'failed') {
      $('open-report').disabled = false;
      this.show(`The report failed: ${status.error}`, 'error');
      return;
    }
    const step = status.step ? `: ${status.step}` : '';
    const done = status.steps_done ? ` (${status.steps_done} steps done)` : '';
    this.show(status.status === 'queued' ? 'Report queued behind other builds…' : `Building the report${step}${done}…`);
    this.timer = setTimeout(async () => {
      try {
        this.follow(await get(status.status_url));
      } catch (err) {
        $('open-report').disabled = false;
        this.show(err.message, 'error');
      }
    }, POLL_MS);
  }
}
