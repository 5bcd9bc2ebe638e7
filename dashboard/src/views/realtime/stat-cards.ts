import type { RealtimeSnapshot } from '../../../../functions/dashboard-publisher/dashboard-data.js';
import { el } from '../../dom/el.js';
import { formatCount, formatNumber, formatPercent, formatTime } from '../../format.js';

interface Stat {
  readonly key: string;
  readonly label: string;
  readonly value: (snapshot: RealtimeSnapshot) => string;
  readonly note: (snapshot: RealtimeSnapshot) => string;
}

const stats: readonly Stat[] = [
  { key: 'logs', label: 'Total logs', value: (s) => formatCount(s.totals.logs), note: (s) => `last ${s.windowMinutes} min` },
  { key: 'anomalies', label: 'Anomalies', value: (s) => formatCount(s.totals.anomalies), note: (s) => `last ${s.windowMinutes} min` },
  { key: 'rate', label: 'Anomaly rate', value: (s) => formatPercent(s.totals.anomalyRate, 2), note: () => 'anomalies / logs' },
  { key: 'services', label: 'Active services', value: (s) => formatCount(s.totals.activeServices), note: (s) => `${formatCount(s.totals.deadLetters)} dead letters` },
  {
    key: 'model',
    label: 'Model',
    value: (s) => (s.model === null ? 'training…' : s.model.version),
    note: (s) => (s.model === null ? 'no model yet: logs stored unscored' : `threshold ${formatNumber(s.model.threshold)} · ${formatTime(s.model.trainedAt)}`),
  },
];

/** The headline numbers of the window, updated in place. */
export class StatCards {
  readonly element = el('div', { className: 'stats' });
  private readonly cells = new Map<string, { value: HTMLElement; note: HTMLElement }>();

  constructor() {
    for (const stat of stats) {
      const value = el('div', { className: 'stat-value', attrs: { 'data-stat': stat.key } });
      const note = el('div', { className: 'stat-note' });
      this.element.append(el('div', { className: `stat stat-${stat.key}` }, el('div', { className: 'stat-label', text: stat.label }), value, note));
      this.cells.set(stat.key, { value, note });
    }
  }

  update(snapshot: RealtimeSnapshot): void {
    for (const stat of stats) {
      const cell = this.cells.get(stat.key)!;
      cell.value.textContent = stat.value(snapshot);
      cell.value.title = cell.value.textContent;
      cell.note.textContent = stat.note(snapshot);
    }
  }
}
