import { REALTIME_KEY, type RealtimeSnapshot } from '../../../functions/dashboard-publisher/dashboard-data.js';
import { barChart, type BarChart } from '../charts/bar-chart.js';
import { donutChart, type DonutChart } from '../charts/donut-chart.js';
import { lineChart, type Chart } from '../charts/line-chart.js';
import { anomalyColor, logsColor, seriesColor } from '../charts/palette.js';
import { checkRealtime } from '../data/check-realtime.js';
import { loadJson } from '../data/load-json.js';
import { el, panel } from '../dom/el.js';
import { formatAge, formatCount, formatTime } from '../format.js';
import { Notice } from './notice.js';
import { AnomalyCards } from './realtime/anomaly-cards.js';
import { LogTable } from './realtime/log-table.js';
import { StatCards } from './realtime/stat-cards.js';

/** Data older than this is flagged: the publisher writes every few seconds. */
const STALE_AFTER_MS = 2 * 60_000;

const levelColors: Record<string, string> = { DEBUG: '#8A94A6', INFO: '#2F6FB5', WARN: '#E69F00', WARNING: '#E69F00', ERROR: '#D1342F', FATAL: '#7A1020', CRITICAL: '#7A1020' };

/** The seed's real-time monitoring view, drawn from data/realtime.json. */
export class RealtimeView {
  readonly element: HTMLElement;
  private readonly notice = new Notice();
  private readonly updated = el('span', { className: 'muted', attrs: { 'data-role': 'updated' } });
  private readonly content = el('div', { className: 'view-content', attrs: { hidden: '' } });
  private readonly stats = new StatCards();
  private readonly anomalies = new AnomalyCards();
  private readonly logs = new LogTable();
  private levels: DonutChart | null = null;
  private services: BarChart | null = null;
  private timeline: Chart | null = null;
  private readonly levelsHost = el('div');
  private readonly servicesHost = el('div');
  private readonly timelineHost = el('div');

  constructor(private readonly base: URL) {
    this.content.append(
      this.stats.element,
      el('div', { className: 'grid two' }, panel('Log levels', 'levels-panel', this.levelsHost), panel('Service activity', 'services-panel', this.servicesHost)),
      panel('Timeline: logs per minute, anomalies overlaid', 'timeline-panel', this.timelineHost),
      panel('Recent anomalies', 'anomalies-panel', el('p', { className: 'muted', text: 'Open a card for the score, threshold, model version and the features that drove it.' }), this.anomalies.element),
      panel('Recent logs', 'logs-panel', this.logs.element),
    );
    this.element = el('div', { className: 'view' }, el('div', { className: 'view-head' }, el('h2', { text: 'Real-Time Monitoring' }), this.updated), this.notice.element, this.content);
  }

  /** Fetches the snapshot and redraws; a failure is shown in the notice (earlier data stays, marked stale). */
  async refresh(): Promise<void> {
    let snapshot: RealtimeSnapshot;
    try {
      snapshot = await loadJson(REALTIME_KEY, this.base, checkRealtime);
    } catch (error) {
      this.notice.show('error', `${(error as Error).message}${this.content.hidden ? '' : ' (showing the last data that loaded)'}`);
      return;
    }
    this.render(snapshot);
    const age = Date.now() - Date.parse(snapshot.generatedAt);
    if (age > STALE_AFTER_MS) this.notice.show('warning', `This data was published ${formatAge(snapshot.generatedAt, Date.now())}: is the dashboard publisher running?`);
    else this.notice.hide();
  }

  private render(snapshot: RealtimeSnapshot): void {
    this.content.hidden = false;
    this.updated.textContent = `data from ${formatTime(snapshot.generatedAt)} UTC`;
    this.stats.update(snapshot);
    const slices = snapshot.levels.map((level, i) => ({ label: level.level, value: level.count, color: levelColors[level.level.toUpperCase()] ?? seriesColor(i + 4) }));
    if (this.levels === null) {
      this.levels = donutChart(slices, formatCount);
      this.levelsHost.append(this.levels.element);
    } else this.levels.update(slices);
    const services = {
      categories: snapshot.services.map((service) => service.service),
      series: [
        { label: 'logs', color: logsColor, values: snapshot.services.map((service) => service.logs) },
        { label: 'anomalies', color: anomalyColor, values: snapshot.services.map((service) => service.anomalies) },
      ],
      format: formatCount,
    };
    if (this.services === null) {
      this.services = barChart(services);
      this.servicesHost.append(this.services.element);
    } else this.services.update(services);
    const timeline = {
      x: snapshot.timeline.map((point) => Date.parse(point.minute) / 1000),
      xKind: 'time' as const,
      series: [
        { label: 'logs / min', color: logsColor, values: snapshot.timeline.map((point) => point.logs), fill: true },
        { label: 'anomalies / min', color: anomalyColor, values: snapshot.timeline.map((point) => point.anomalies), bars: true, right: true },
      ],
      yLabel: 'logs per minute',
      rightLabel: 'anomalies per minute',
      height: 260,
    };
    if (this.timeline === null) {
      this.timeline = lineChart(timeline);
      this.timelineHost.append(this.timeline.element);
    } else this.timeline.update(timeline);
    this.anomalies.update(snapshot.recentAnomalies);
    this.logs.update(snapshot.recentLogs);
  }
}
