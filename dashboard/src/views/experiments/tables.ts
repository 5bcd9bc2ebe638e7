import type { ExperimentDetail } from '../../../../functions/dashboard-publisher/dashboard-data.js';
import { el } from '../../dom/el.js';
import { formatDuration, formatMs, formatNumber, formatTime } from '../../format.js';

/** Configuration side by side: one column per experiment; settings keys are the union over them. */
export function configurationTable(details: readonly ExperimentDetail[]): HTMLElement {
  const configs = details.map((detail) => detail.experiment);
  const settingKeys = [...new Set(configs.flatMap((config) => Object.keys(config.settings)))].sort();
  const rows: Array<[string, (index: number) => string]> = [
    ['Status', (i) => (configs[i]!.statusReason === null ? configs[i]!.status : `${configs[i]!.status}: ${configs[i]!.statusReason}`)],
    ['Producers (P)', (i) => String(configs[i]!.producers)],
    ['Consumers (C)', (i) => String(configs[i]!.consumers)],
    ['Partitions', (i) => String(configs[i]!.partitions)],
    ['Duration', (i) => formatDuration(configs[i]!.durationSeconds)],
    ['Started (UTC)', (i) => formatTime(configs[i]!.startedAt)],
    ['Suite / trial', (i) => [configs[i]!.suiteId ?? '–', configs[i]!.trial === null ? '' : `#${configs[i]!.trial}`].join(' ').trim()],
    ...settingKeys.map<[string, (index: number) => string]>((key) => [key, (i) => settingText(configs[i]!.settings[key])]),
  ];
  return comparisonTable(
    configs.map((config) => config.name),
    rows.map(([label, value]) => [label, configs.map((_, i) => value(i))]),
    'config-table',
  );
}

/** avg / min / max of every metric the experiments recorded, plus produce → store latency percentiles. */
export function aggregatesTable(details: readonly ExperimentDetail[]): HTMLElement {
  const names = [...new Set(details.flatMap((detail) => detail.metrics.map((metric) => `${metric.component}\u0000${metric.name}`)))].sort();
  const metricRows = names.map<[string, string[]]>((joined) => {
    const [component = '', name = ''] = joined.split('\u0000');
    const cells = details.map((detail) => {
      const metric = detail.metrics.find((m) => m.component === component && m.name === name);
      return metric === undefined ? '–' : `${formatNumber(metric.avg)} / ${formatNumber(metric.min)} / ${formatNumber(metric.max)}`;
    });
    const unit = details.flatMap((detail) => detail.metrics).find((m) => m.component === component && m.name === name)?.unit;
    return [`${component} · ${name}${unit ? ` (${unit})` : ''}`, cells];
  });
  const latencyRows: Array<[string, string[]]> = (['p50', 'p95', 'p99', 'max'] as const).map((key) => [
    `produce → store latency ${key}`,
    details.map((detail) => (detail.latency === null ? '–' : formatMs(detail.latency[key]))),
  ]);
  return comparisonTable(
    details.map((detail) => detail.experiment.name),
    [...latencyRows, ...metricRows],
    'aggregates-table',
    'avg / min / max per metric',
  );
}

function comparisonTable(columns: readonly string[], rows: ReadonlyArray<readonly [string, readonly string[]]>, className: string, corner = ''): HTMLElement {
  return el(
    'div',
    { className: 'table-scroll' },
    el(
      'table',
      { className },
      el('thead', {}, el('tr', {}, el('th', { text: corner }), ...columns.map((column) => el('th', { text: column })))),
      el('tbody', {}, ...rows.map(([label, cells]) => el('tr', {}, el('th', { attrs: { scope: 'row' }, text: label }), ...cells.map((cell) => el('td', { text: cell }))))),
    ),
  );
}

function settingText(value: unknown): string {
  if (value === undefined) return '–';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
