import { EXPERIMENTS_INDEX_KEY, type ExperimentDetail, type ExperimentsIndex, type ExperimentSummary } from '../../../functions/dashboard-publisher/dashboard-data.js';
import { checkExperimentDetail, checkExperimentsIndex } from '../data/check-experiments.js';
import { loadJson } from '../data/load-json.js';
import { el, panel } from '../dom/el.js';
import { formatTime } from '../format.js';
import {
  detectionBars,
  lagOverTime,
  latencyDistribution,
  latencyScaling,
  scalingBars,
  throughputBars,
  throughputOverTime,
  type AnyChart,
} from './experiments/comparison-charts.js';
import { ExperimentPicker } from './experiments/experiment-picker.js';
import { aggregatesTable, configurationTable } from './experiments/tables.js';
import { Notice } from './notice.js';

/** The seed's experiment analysis view: pick experiments, compare their configuration and results. */
export class ExperimentsView {
  readonly element: HTMLElement;
  private readonly notice = new Notice();
  private readonly updated = el('span', { className: 'muted', attrs: { 'data-role': 'updated' } });
  private readonly picker = new ExperimentPicker(() => void this.showChosen());
  private readonly comparison = el('div', { className: 'comparison' });
  private readonly content: HTMLElement;
  private charts: AnyChart[] = [];
  private index: ExperimentsIndex | null = null;
  /** Renders finish in request order: an older one that completes late is dropped. */
  private generation = 0;

  constructor(private readonly base: URL) {
    this.content = el('div', { className: 'view-content experiments-layout', attrs: { hidden: '' } }, panel('Experiments', 'picker-panel', this.picker.element), this.comparison);
    this.element = el('div', { className: 'view' }, el('div', { className: 'view-head' }, el('h2', { text: 'Experiment Analysis' }), this.updated), this.notice.element, this.content);
  }

  async refresh(): Promise<void> {
    try {
      this.index = await loadJson(EXPERIMENTS_INDEX_KEY, this.base, checkExperimentsIndex);
    } catch (error) {
      this.notice.show('error', (error as Error).message);
      return;
    }
    this.content.hidden = false;
    this.updated.textContent = `data from ${formatTime(this.index.generatedAt)} UTC`;
    this.picker.update(this.index.experiments);
    await this.showChosen();
  }

  private async showChosen(): Promise<void> {
    const generation = ++this.generation;
    const chosen = this.picker.chosen();
    const loaded = await Promise.allSettled(chosen.map((summary) => loadJson(summary.key, this.base, checkExperimentDetail)));
    if (generation !== this.generation) return;
    const problems = loaded.flatMap((result) => (result.status === 'rejected' ? [(result.reason as Error).message] : []));
    const pairs = chosen.flatMap((summary, i) => {
      const result = loaded[i];
      return result?.status === 'fulfilled' ? [{ summary, detail: result.value }] : [];
    });
    if (problems.length > 0) this.notice.show('error', problems.join(' · '));
    else if ((this.index?.experiments.length ?? 0) === 0) this.notice.show('info', 'No experiments yet: run one (npm run experiment) and it appears here.');
    else this.notice.hide();
    this.render(pairs.map((pair) => pair.summary), pairs.map((pair) => pair.detail));
  }

  private render(summaries: readonly ExperimentSummary[], details: readonly ExperimentDetail[]): void {
    for (const chart of this.charts) chart.destroy();
    this.charts = [];
    const keep = <T extends AnyChart | null>(chart: T): T => {
      if (chart !== null) this.charts.push(chart);
      return chart;
    };
    const chartOrNote = (chart: AnyChart | null, note: string): HTMLElement => (chart === null ? el('p', { className: 'empty', text: note }) : keep(chart).element);
    const visible = this.picker.visible();
    const scaling = panel(
      `Configuration impact (${visible.length} ${this.picker.statusFilter === 'all' ? '' : `${this.picker.statusFilter} `}experiments)`,
      'scaling-panel',
      el(
        'div',
        { className: 'grid three' },
        el('div', {}, el('h4', { text: 'Throughput by consumers' }), keep(scalingBars(visible, 'consumers')).element),
        el('div', {}, el('h4', { text: 'Throughput by partitions' }), keep(scalingBars(visible, 'partitions')).element),
        el('div', {}, el('h4', { text: 'p95 latency by consumers and partitions' }), keep(latencyScaling(visible)).element),
      ),
    );
    if (details.length === 0) {
      this.comparison.replaceChildren(el('p', { className: 'empty panel', text: 'Pick one or more experiments on the left to compare them.' }), scaling);
      return;
    }
    this.comparison.replaceChildren(
      panel('Configuration', 'config-panel', configurationTable(details)),
      el(
        'div',
        { className: 'grid two' },
        panel('Throughput comparison', 'throughput-panel', keep(throughputBars(summaries)).element),
        panel('Detection quality', 'detection-panel', keep(detectionBars(summaries)).element, detectionNote(summaries)),
      ),
      panel('Throughput over time', 'throughput-time-panel', keep(throughputOverTime(details)).element),
      el(
        'div',
        { className: 'grid two' },
        panel('Latency distribution (produce → store)', 'latency-panel', chartOrNote(latencyDistribution(details), 'No latency data for these experiments.')),
        panel('Consumer lag per partition over time', 'lag-panel', chartOrNote(lagOverTime(details), 'No consumer-lag samples for these experiments.')),
      ),
      panel('Aggregates', 'aggregates-panel', aggregatesTable(details)),
      scaling,
    );
  }
}

function detectionNote(summaries: readonly ExperimentSummary[]): HTMLElement {
  const fromLabels = summaries.some((s) => s.detection?.source === 'labels');
  return el('p', {
    className: 'muted',
    text: fromLabels ? 'Computed from the ground-truth labels of each experiment’s logs (records seen before the first model count as missed).' : 'As recorded by the experiment runner.',
  });
}
