/** The comparison charts of the experiment view, each built from checked data objects. */
import type { ExperimentDetail, ExperimentSummary } from '../../../../functions/dashboard-publisher/dashboard-data.js';
import { barChart, type BarChart } from '../../charts/bar-chart.js';
import { lineChart, type Chart } from '../../charts/line-chart.js';
import { seriesColor } from '../../charts/palette.js';
import { formatMs, formatNumber, formatPercent } from '../../format.js';
import { alignSeries, meanBy } from './align.js';

export type AnyChart = Chart | BarChart;

const producerColor = '#E69F00';
const detectorColor = '#0072B2';

export function throughputBars(summaries: readonly ExperimentSummary[]): BarChart {
  return barChart({
    categories: summaries.map((s) => s.name),
    series: [
      { label: 'produced (records/s)', color: producerColor, values: summaries.map((s) => s.producerThroughput) },
      { label: 'stored by detectors (records/s)', color: detectorColor, values: summaries.map((s) => s.detectorThroughput) },
    ],
    format: (value) => formatNumber(value, '/s'),
  });
}

export function throughputOverTime(details: readonly ExperimentDetail[]): Chart {
  const aligned = alignSeries(details.map((d) => ({ x: d.throughput.seconds, y: d.throughput.detector })));
  return lineChart({
    x: aligned.x,
    xKind: 'seconds',
    series: details.map((d, i) => ({ label: d.experiment.name, color: seriesColor(i), values: aligned.ys[i] ?? [] })),
    yLabel: 'records stored / s',
  });
}

/** Share of records per latency bucket (a histogram on a roughly logarithmic scale), one line per experiment. */
export function latencyDistribution(details: readonly ExperimentDetail[]): Chart | null {
  const withLatency = details.filter((d) => d.latency !== null);
  const first = withLatency[0]?.latency;
  if (first === undefined || first === null) return null;
  // Each bucket is labelled by its upper bound ("< 250ms"); the open last one by its lower bound.
  const categories = first.upperBoundsMs.map((bound, i) => (bound === null ? `≥${compactMs(first.upperBoundsMs[i - 1] ?? 0)}` : `<${compactMs(bound)}`));
  return lineChart({
    x: categories.map((_, i) => i),
    xKind: 'category',
    categories,
    series: withLatency.map((d) => {
      const total = d.latency!.counts.reduce((sum, n) => sum + n, 0);
      return { label: d.experiment.name, color: seriesColor(details.indexOf(d)), values: d.latency!.counts.map((n) => (total === 0 ? 0 : (n / total) * 100)), fill: true };
    }),
    yLabel: '% of records',
    xLabel: 'produce → store latency (bucket upper bound)',
    height: 260,
  });
}

/** "5ms", "250ms", "2.5s", "60s": short enough for 14 labels under one chart. */
function compactMs(ms: number): string {
  return ms >= 1000 ? `${ms / 1000}s` : `${ms}ms`;
}

export function lagOverTime(details: readonly ExperimentDetail[]): Chart | null {
  const lines = details.flatMap((d, experimentIndex) =>
    d.lag.map((series) => ({ label: `${d.experiment.name} · ${series.topic}[${series.partition}]`, experimentIndex, x: series.seconds, y: series.lag })),
  );
  if (lines.length === 0) return null;
  const aligned = alignSeries(lines);
  return lineChart({
    x: aligned.x,
    xKind: 'seconds',
    series: lines.map((line, i) => ({ label: line.label, color: seriesColor(line.experimentIndex * 3 + (i % 3)), values: aligned.ys[i] ?? [] })),
    yLabel: 'records behind',
  });
}

export function detectionBars(summaries: readonly ExperimentSummary[]): BarChart {
  const pick = (key: 'precision' | 'recall' | 'f1') => summaries.map((s) => s.detection?.[key] ?? null);
  return barChart({
    categories: summaries.map((s) => s.name),
    series: [
      { label: 'precision', color: '#0072B2', values: pick('precision') },
      { label: 'recall', color: '#009E73', values: pick('recall') },
      { label: 'F1', color: '#CC79A7', values: pick('f1') },
    ],
    format: (value) => formatPercent(value),
    max: 1,
  });
}

/** Configuration impact over every experiment shown: mean throughput and p95 latency by a setting. */
export function scalingBars(experiments: readonly ExperimentSummary[], setting: 'consumers' | 'partitions' | 'producers'): BarChart {
  const throughput = meanBy(experiments, (e) => e[setting], (e) => e.detectorThroughput);
  const produced = meanBy(experiments, (e) => e[setting], (e) => e.producerThroughput);
  return barChart({
    categories: throughput.map((group) => `${setting} = ${group.key}`),
    series: [
      { label: 'mean produced (records/s)', color: producerColor, values: produced.map((group) => group.mean) },
      { label: 'mean stored (records/s)', color: detectorColor, values: throughput.map((group) => group.mean) },
    ],
    format: (value) => formatNumber(value, '/s'),
  });
}

export function latencyScaling(experiments: readonly ExperimentSummary[]): BarChart {
  const groups = meanBy(experiments, (e) => e.consumers * 1000 + e.partitions, (e) => e.latencyP95Ms);
  return barChart({
    categories: groups.map((group) => `C${Math.floor(group.key / 1000)} · ${group.key % 1000} partitions`),
    series: [{ label: 'mean p95 produce → store latency', color: '#D55E00', values: groups.map((group) => group.mean) }],
    format: formatMs,
  });
}
