import type { RecentLog } from '../../../../functions/dashboard-publisher/dashboard-data.js';
import { el } from '../../dom/el.js';
import { formatCount, formatNumber, formatTime } from '../../format.js';
import { levelClass } from './anomaly-cards.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MIN_LIMIT, parseLimit } from './display-limit.js';

/** The newest logs, anomalies highlighted, showing `limit` (50–500) rows. Messages are text cells. */
export class LogTable {
  readonly element: HTMLElement;
  private readonly body = el('tbody');
  private readonly caption = el('span', { className: 'muted', attrs: { 'data-role': 'log-count' } });
  private readonly input = el('input', {
    attrs: { type: 'number', min: String(MIN_LIMIT), max: String(MAX_LIMIT), step: '50', value: String(DEFAULT_LIMIT), id: 'log-limit', 'aria-describedby': 'log-limit-note' },
  });
  /** The seed's slider for the same limit, in steps of 50; the number field beside it takes any value and shows the exact one. */
  private readonly slider = el('input', {
    attrs: { type: 'range', min: String(MIN_LIMIT), max: String(MAX_LIMIT), step: '50', value: String(DEFAULT_LIMIT), id: 'log-limit-slider', 'aria-label': 'Display limit' },
  });
  private readonly inputNote = el('span', { className: 'muted', attrs: { id: 'log-limit-note' }, text: `${MIN_LIMIT}–${MAX_LIMIT}` });
  private limit = DEFAULT_LIMIT;
  private logs: readonly RecentLog[] = [];

  constructor() {
    this.input.addEventListener('change', () => this.applyLimit(this.input.value));
    // While dragging: the table follows the slider at once (its values are always in range).
    this.slider.addEventListener('input', () => this.applyLimit(this.slider.value));
    this.element = el(
      'div',
      { className: 'log-table' },
      el('div', { className: 'table-controls' }, el('label', { attrs: { for: 'log-limit' }, text: 'Display limit ' }), this.slider, this.input, this.inputNote, this.caption),
      el(
        'div',
        { className: 'table-scroll' },
        el(
          'table',
          {},
          el('thead', {}, el('tr', {}, ...['Time (UTC)', 'Service', 'Level', 'Host', 'Message', 'Score'].map((title) => el('th', { text: title })))),
          this.body,
        ),
      ),
    );
  }

  update(logs: readonly RecentLog[]): void {
    this.logs = logs;
    this.render();
  }

  /** Applies `text` (from the number field or the slider) to both controls and the table. */
  private applyLimit(text: string): void {
    const limit = parseLimit(text);
    if (limit === null) {
      this.inputNote.textContent = `enter a number from ${MIN_LIMIT} to ${MAX_LIMIT}`;
      this.input.value = String(this.limit);
      return;
    }
    this.inputNote.textContent = limit === Number(text) ? `${MIN_LIMIT}–${MAX_LIMIT}` : `limited to ${MIN_LIMIT}–${MAX_LIMIT}`;
    this.input.value = String(limit);
    this.slider.value = String(limit);
    this.limit = limit;
    this.render();
  }

  private render(): void {
    const shown = this.logs.slice(0, this.limit);
    const anomalies = shown.filter((log) => log.anomalous).length;
    this.caption.textContent = `showing ${formatCount(shown.length)} of ${formatCount(this.logs.length)} recent logs · ${formatCount(anomalies)} anomalous`;
    if (shown.length === 0) {
      this.body.replaceChildren(el('tr', {}, el('td', { className: 'empty', attrs: { colspan: '6' }, text: 'No logs in this window.' })));
      return;
    }
    this.body.replaceChildren(
      ...shown.map((log) =>
        el(
          'tr',
          { className: log.anomalous ? 'anomalous' : '' },
          el('td', { className: 'nowrap', text: formatTime(log.ts) }),
          el('td', { text: log.service }),
          el('td', {}, el('span', { className: `level level-${levelClass(log.level)}`, text: log.level })),
          el('td', { text: log.host ?? '' }),
          el('td', { className: 'message-cell', text: log.message }),
          el('td', { className: 'num', text: log.score === null ? '' : `⚠ ${formatNumber(log.score)}` }),
        ),
      ),
    );
  }
}
