import type { AnomalyCard } from '../../../../functions/dashboard-publisher/dashboard-data.js';
import { el } from '../../dom/el.js';
import { formatNumber, formatTime } from '../../format.js';

/** How many anomaly cards are shown (the snapshot holds up to 50). */
const SHOWN = 12;

/**
 * Recent anomalies as expandable cards (<details>): the summary line names service, level, time and
 * score against threshold; opened, the message (as text), model version, template id and the
 * features that drove the score. Cards the reader opened stay open across refreshes (keyed by log id).
 */
export class AnomalyCards {
  readonly element = el('div', { className: 'anomaly-cards' });
  private readonly open = new Set<string>();

  update(anomalies: readonly AnomalyCard[]): void {
    if (anomalies.length === 0) {
      this.element.replaceChildren(el('p', { className: 'empty', text: 'No anomalies in this window.' }));
      return;
    }
    this.element.replaceChildren(...anomalies.slice(0, SHOWN).map((anomaly) => this.card(anomaly)));
  }

  private card(anomaly: AnomalyCard): HTMLElement {
    const margin = anomaly.score - anomaly.threshold;
    const details = el(
      'details',
      { className: 'anomaly-card', attrs: { 'data-log-id': anomaly.logId } },
      el(
        'summary',
        {},
        el('span', { className: `level level-${levelClass(anomaly.level)}`, text: anomaly.level }),
        el('span', { className: 'anomaly-service', text: anomaly.service }),
        el('span', { className: 'anomaly-message', text: anomaly.message }),
        el('span', { className: 'anomaly-score', text: `score ${formatNumber(anomaly.score)}` }),
        el('span', { className: 'muted', text: formatTime(anomaly.ts) }),
      ),
      el(
        'div',
        { className: 'anomaly-body' },
        el('pre', { className: 'message', text: anomaly.message }),
        el(
          'dl',
          { className: 'facts' },
          ...fact('Score', `${formatNumber(anomaly.score)} (threshold ${formatNumber(anomaly.threshold)}, +${formatNumber(margin)})`),
          ...fact('Model version', anomaly.modelVersion),
          ...templateFact(anomaly),
          ...fact('Host', anomaly.host ?? '–'),
          ...fact('Experiment', anomaly.experimentId ?? '–'),
          ...fact('Detected', formatTime(anomaly.detectedAt)),
        ),
        el('h4', { text: 'What drove the score' }),
        contributionBars(anomaly),
      ),
    );
    if (this.open.has(anomaly.logId)) details.open = true;
    details.addEventListener('toggle', () => (details.open ? this.open.add(anomaly.logId) : this.open.delete(anomaly.logId)));
    return details;
  }
}

function fact(term: string, value: string): HTMLElement[] {
  return [el('dt', { text: term }), el('dd', { text: value })];
}

/** The message template the detector's miner matched (stored as the `template_id` feature), when there is one. */
function templateFact(anomaly: AnomalyCard): HTMLElement[] {
  const id = anomaly.features.template_id;
  return id === undefined ? [] : fact('Template', `#${id}`);
}

/** Each feature's share of the score as a bar, with the feature's value. */
function contributionBars(anomaly: AnomalyCard): HTMLElement {
  const total = anomaly.contributions.reduce((sum, c) => sum + Math.max(0, c.contribution), 0);
  if (anomaly.contributions.length === 0) return el('p', { className: 'muted', text: 'No feature contributions recorded.' });
  return el(
    'table',
    { className: 'contributions' },
    el('thead', {}, el('tr', {}, el('th', { text: 'feature' }), el('th', { text: 'value' }), el('th', { text: 'share of the score' }))),
    el(
      'tbody',
      {},
      ...anomaly.contributions.map((c) => {
        const share = total > 0 ? Math.max(0, c.contribution) / total : 0;
        const bar = el('span', { className: 'bar' });
        bar.style.width = `${(share * 100).toFixed(1)}%`;
        const value = anomaly.features[c.feature];
        return el(
          'tr',
          {},
          el('td', { text: c.feature }),
          el('td', { className: 'num', text: value === undefined ? '–' : formatNumber(value) }),
          el('td', {}, el('span', { className: 'bar-track' }, bar), el('span', { className: 'muted', text: ` ${(share * 100).toFixed(0)}%` })),
        );
      }),
    ),
  );
}

/** A CSS-safe class suffix for a level (levels are data: only letters survive). */
export function levelClass(level: string): string {
  return level.toLowerCase().replace(/[^a-z]/g, '') || 'other';
}
