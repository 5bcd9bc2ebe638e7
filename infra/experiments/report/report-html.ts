/**
 * The self-contained HTML report: tables and inline SVG charts, no scripts and no external files.
 * All text from the database (names, reasons, notes) is escaped.
 */
import type { ExperimentSummary } from '../experiment-summary.js';
import { latencyBucketsMs } from '../consumer-measurements.js';
import { groupRuns, summaryOf, type ConfigGroup, type Stat } from '../result-groups.js';
import { benchmarkData, comparisonData, configLabel, type TableData } from '../results-table.js';
import type { ReportData } from './report-data.js';
import { barChart, escapeXml as esc, lineChart, type LineSeries } from './svg-charts.js';

const style = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#111;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}table{border-collapse:collapse;margin:8px 0;font-size:13px}
td,th{border:1px solid #ddd;padding:3px 7px}th{background:#f4f4f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.chart{width:100%;max-width:760px;display:block;margin:8px 0}.chart .title{font-weight:600;font-size:13px}.chart .tick{font-size:10px;fill:#444}
.chart .axis{font-size:11px;fill:#333}.chart .grid{stroke:#eee}.chart .err{stroke-width:1.5}.muted{color:#666}.empty{color:#666;font-style:italic}
.lag{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:8px}`;

const errorRange = (value: Stat | null) => (value === null ? {} : { low: value.min, high: value.max });

function htmlTable(data: TableData): string {
  const head = `<tr>${data.header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const rows = data.rows.map((row) => `<tr>${row.map((cell, i) => `<td${data.right.has(i) ? ' class="n"' : ''}>${esc(cell)}</td>`).join('')}</tr>`);
  return `<table>${head}${rows.join('')}</table>`;
}

function throughputChart(groups: readonly ConfigGroup[]): string {
  return barChart({
    title: 'Throughput per configuration (mean; error bars: min–max across trials)',
    yLabel: 'records/s',
    seriesNames: ['produced', 'consumed'],
    groups: groups.map((g) => ({
      label: `${g.name} ${configLabel(g)}`,
      values: [
        { value: g.figures.producerThroughput?.mean ?? null, ...errorRange(g.figures.producerThroughput) },
        { value: g.figures.consumerThroughput?.mean ?? null, ...errorRange(g.figures.consumerThroughput) },
      ],
    })),
  });
}

function latencyCharts(groups: readonly ConfigGroup[]): string {
  const percentiles = barChart({
    title: 'End-to-end latency p50/p95/p99 (mean of trials; error bars: min–max)',
    yLabel: 'ms',
    seriesNames: ['p50', 'p95', 'p99'],
    groups: groups.map((g) => ({
      label: `${g.name} ${configLabel(g)}`,
      values: [g.figures.e2eP50, g.figures.e2eP95, g.figures.e2eP99].map((f) => ({ value: f?.mean ?? null, ...errorRange(f) })),
    })),
  });
  // Distribution: share of records per latency bucket (all trials of a configuration together).
  const series: LineSeries[] = groups.slice(0, 10).map((g) => {
    const counts = new Map<number, number>();
    let total = 0;
    for (const summary of g.summaries) {
      for (const [upTo, n] of summary.consumers.latencyHistogram) {
        const index = upTo === null ? latencyBucketsMs.length : latencyBucketsMs.indexOf(upTo as (typeof latencyBucketsMs)[number]);
        counts.set(index, (counts.get(index) ?? 0) + n);
        total += n;
      }
    }
    return { name: `${g.name} ${configLabel(g)}`, points: [...counts.entries()].map(([index, n]) => [index, total === 0 ? 0 : (n / total) * 100] as const) };
  });
  const bucketNames = [...latencyBucketsMs.map((ms) => `<${ms}`), `≥${latencyBucketsMs[latencyBucketsMs.length - 1]}`].map((b, i) => `${i}: ${b} ms`).join(', ');
  const histogram = lineChart({ title: 'Latency distribution (share of records per bucket)', xLabel: 'bucket (see below)', yLabel: '% of records', series });
  return `${percentiles}${histogram}<p class="muted">Buckets: ${esc(bucketNames)}. At most ten configurations are drawn.</p>`;
}

function lagCharts(data: ReportData): string {
  if (data.lag.length === 0) return '<p class="empty">No completed run has lag samples.</p>';
  const charts = data.lag.map((series) => {
    const lines: LineSeries[] = [...series.partitions.entries()].sort((a, b) => a[0] - b[0]).map(([partition, points]) => ({ name: `partition ${partition}`, points }));
    return lineChart({ title: series.experimentId, xLabel: 'seconds since the first sample', yLabel: 'lag (records)', series: lines.slice(0, 10) });
  });
  return `<div class="lag">${charts.join('')}</div><p class="muted">Sampled every second from committed vs log-end offsets; the first ten partitions of each run are drawn.</p>`;
}

function scalingCharts(groups: readonly ConfigGroup[]): string {
  const knobs = [
    ['producers', 'producers (concurrent producer invocations)'],
    ['consumers', 'consumers (pollers = most concurrent detector invocations)'],
    ['partitions', 'partitions'],
  ] as const;
  return knobs
    .map(([knob, label]) => {
      const byGroup = new Map<string, LineSeries['points'][number][]>();
      for (const g of groups) {
        const value = g.figures.consumerThroughput;
        if (value === null) continue;
        const key = g.group ?? 'single runs';
        byGroup.set(key, [...(byGroup.get(key) ?? []), [g[knob], value.mean, value.min, value.max]]);
      }
      const series = [...byGroup.entries()].filter(([, points]) => new Set(points.map((p) => p[0])).size > 1).map(([name, points]) => ({ name, points }));
      return lineChart({ title: `Consumed throughput against ${knob} (error bars: min–max)`, xLabel: label, yLabel: 'records/s', series });
    })
    .join('');
}

function runDetails(data: ReportData): string {
  const rows = data.runs.map((run) => {
    const summary = summaryOf(run);
    const detail = summary === null ? run.statusReason ?? '' : detailOf(summary);
    return `<tr><td>${esc(run.id)}</td><td>${esc(run.status)}</td><td>${esc(run.startedAt)}</td><td>${esc(detail)}</td></tr>`;
  });
  return `<table><tr><th>experiment</th><th>status</th><th>started</th><th>details / reason</th></tr>${rows.join('')}</table>`;
}

function detailOf(s: ExperimentSummary): string {
  const postgres = 'cpuPercentOfOneCore' in s.resources.postgres ? `PostgreSQL ${s.resources.postgres.cpuPercentOfOneCore}% of a core` : `PostgreSQL CPU not measured (${s.resources.postgres.notMeasured})`;
  return [
    `${s.producers.sent} sent, ${s.consumers.stored} stored, ${s.consumers.invocations} invocations (max ${s.consumers.maxConcurrentInvocations} at once)`,
    `runner process ${s.resources.runnerProcess.cpuPercentOfOneCore}% of a core (${s.resources.runnerProcess.contains.join(', ')}), ${postgres}`,
    `${s.machine.cores} cores, load ${s.machine.loadAverage.atStart.join('/')} → ${s.machine.loadAverage.atEnd?.join('/') ?? '?'}`,
    ...s.notes,
  ].join('; ');
}

export function renderReport(data: ReportData, generatedAt: Date): string {
  const groups = groupRuns(data.runs);
  const summaries = data.runs.map(summaryOf).filter((s): s is ExperimentSummary => s !== null);
  const machines = [...new Set(summaries.map((s) => `${s.machine.cores} cores (${s.machine.cpuModel}), ${s.machine.totalMemoryMb} MB, ${s.machine.platform}, Node ${s.machine.node}`))];
  const services = [...new Set(summaries.map((s) => s.services))];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Experiment report</title><style>${style}</style></head><body>
<h1>Experiment report</h1>
<p>${esc(data.scope)}: ${data.runs.length} runs, ${summaries.length} completed. Generated ${esc(generatedAt.toISOString())}.</p>
<p class="muted">Machine: ${esc(machines.join(' | ') || 'unknown')}. Services: ${esc(services.join(', ') || 'unknown')}. Producers, the event-source mapping and the detector run in one process; figures are means across completed trials (± sample standard deviation).</p>
<h2>Benchmark (the seed's table)</h2>${htmlTable(benchmarkData(groups))}
<h2>Comparison</h2>${htmlTable(comparisonData(groups))}
<h2>Throughput</h2>${throughputChart(groups)}
<h2>Latency</h2><p class="muted">End-to-end latency of a record = logs.stored_at − logs.produced_at (its Kafka timestamp).</p>${latencyCharts(groups)}
<h2>Consumer lag per partition</h2>${lagCharts(data)}
<h2>Scaling</h2><p class="muted">Each line joins the runs of one suite group in which the knob varies.</p>${scalingCharts(groups)}
<h2>Runs</h2>${runDetails(data)}
</body></html>
`;
}
