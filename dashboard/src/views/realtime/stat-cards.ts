import type { RealtimeSnapshot } from '../../../../functions/dashboard-publisher/dashboard-data.js';
import { el } from '../../dom/el.js';
import { formatCount, formatNumber, formatPercent, formatTime } from '../../format.js';

interface Stat {
  readonly key: string;
  readonly label: string;
  readonly value: (snapshot: RealtimeSnapshot) => string;
  readonly note: (snapshot: RealtimeSnapshot) => string;
  /** A highlighted remark under the value; null hides it. */
  readonly badge?: (snapshot: RealtimeSnapshot) => string | null;
}

/** "first model after 200 stored (37/200)": no model yet (logs are stored unscored until then). */
function firstModelNote({ training }: RealtimeSnapshot): string {
  const first = training.firstTrainingWindow;
  const stored = Math.min(training.storedTowardFirst ?? 0, first);
  return `first model after ${formatCount(first)} stored (${formatCount(stored)}/${formatCount(first)})`;
}

/** "provisional model (200 of 1,000 records)" while the model is trained on fewer records than the training window. */
function provisionalBadge({ model, training }: RealtimeSnapshot): string | null {
  if (model === null || !model.provisional) return null;
  return `provisional model (${formatCount(model.trainingRows)} of ${formatCount(training.trainingWindow)} records)`;
}

const stats: readonly Stat[] = [
  { key: 'logs', label: 'Total logs', value: (s) => formatCount(s.totals.logs), note: (s) => `last ${s.windowMinutes} min` },
  { key: 'anomalies', label: 'Anomalies', value: (s) => formatCount(s.totals.anomalies), note: (s) => `last ${s.windowMinutes} min` },
  // From the counts, not from totals.anomalyRate: that is rounded to 6 decimals, and rounding it again to
  // 2 decimals of a percent can fall on the wrong side of a tie (133 / 902 = 14.7450…% shown as 14.74%).
  { key: 'rate', label: 'Anomaly rate', value: (s) => formatPercent(s.totals.logs === 0 ? 0 : s.totals.anomalies / s.totals.logs, 2), note: () => 'anomalies / logs' },
  { key: 'services', label: 'Active services', value: (s) => formatCount(s.totals.activeServices), note: (s) => `${formatCount(s.totals.deadLetters)} dead letters` },
  {
    key: 'model',
    label: 'Model',
    value: (s) => (s.model === null ? 'training…' : s.model.version),
    note: (s) => (s.model === null ? firstModelNote(s) : `threshold ${formatNumber(s.model.threshold)} · ${formatTime(s.model.trainedAt)}`),
    badge: provisionalBadge,
  },
];

/** The headline numbers of the window, updated in place. */
export class StatCards {
  readonly element = el('div', { className: 'stats' });
  private readonly cells = new Map<string, { value: HTMLElement; note: HTMLElement; badge: HTMLElement | null }>();

  constructor() {
    for (const stat of stats) {
      const value = el('div', { className: 'stat-value', attrs: { 'data-stat': stat.key } });
      const note = el('div', { className: 'stat-note' });
      const badge = stat.badge === undefined ? null : el('div', { className: 'stat-badge', attrs: { 'data-badge': stat.key } });
      if (badge !== null) badge.hidden = true;
      this.element.append(el('div', { className: `stat stat-${stat.key}` }, el('div', { className: 'stat-label', text: stat.label }), value, badge, note));
      this.cells.set(stat.key, { value, note, badge });
    }
  }

  update(snapshot: RealtimeSnapshot): void {
    for (const stat of stats) {
      const cell = this.cells.get(stat.key)!;
      cell.value.textContent = stat.value(snapshot);
      cell.value.title = cell.value.textContent;
      cell.note.textContent = stat.note(snapshot);
      cell.note.title = cell.note.textContent;
      if (cell.badge !== null) {
        const badge = stat.badge?.(snapshot) ?? null;
        cell.badge.textContent = badge ?? '';
        cell.badge.hidden = badge === null;
      }
    }
  }
}
