import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperiment, finishExperiment, insertConsumerLag, saveExperimentSummary } from '../../../functions/shared/db/index.js';
import { detectionScores, type ConsumerMeasurements } from '../../../infra/experiments/consumer-measurements.js';
import { buildSummary } from '../../../infra/experiments/experiment-summary.js';
import { machineAtStart } from '../../../infra/experiments/machine.js';
import { loadReportData } from '../../../infra/experiments/report/report-data.js';
import { renderReport } from '../../../infra/experiments/report/report-html.js';
import { groupRuns } from '../../../infra/experiments/result-groups.js';
import { benchmarkTable, comparisonTable } from '../../../infra/experiments/results-table.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { shortSpec } from './experiment-kit.js';

let db: TestDatabase;
const hostile = '<script>alert(1)</script>';

/** A summary from buildSummary with the given throughput and latency (the rest small and plausible). */
function summaryWith(storedPerSecond: number, p50: number) {
  const spec = shortSpec({ name: 'cfg', producers: 2, consumers: 3, partitions: 2, durationSeconds: 10 });
  const measured: ConsumerMeasurements = {
    stored: storedPerSecond * 10, flagged: 5, firstStoredAtMs: 1_000, lastStoredAtMs: 11_000,
    e2eLatencyMs: { p50, p95: p50 * 2, p99: p50 * 3, max: p50 * 4, mean: p50 * 1.2 },
    latencyHistogram: [[100, 10], [200, 5], [null, 1]],
    detection: detectionScores([{ label: 'none', flagged: false, count: 90 }, { label: 'keyword', flagged: true, count: 8 }, { label: 'none', flagged: true, count: 2 }]),
    producedPerSecond: [[1, 10]], storedPerSecond: [[1, 10]],
  };
  return buildSummary({
    spec, machine: machineAtStart(), services: 'environment', pollers: 2, lagSamples: [], drainedAtMs: 11_000, consumers: measured, model: { version: 'v', trainingRows: 500 },
    fleet: { producers: [], warmupSent: 0, sendLatenciesMs: [3, 4], measuredFromMs: 1_000, measuredUntilMs: 11_000 },
    invocations: { invocations: 4, failedInvocations: 0, records: 100, stored: 100, anomalies: 5, deadLetters: 0, maxConcurrent: 2, containers: 2, modelVersions: new Set(['v']) },
    resources: { wallSeconds: 10, runnerProcess: { contains: ['producers'], cpuSeconds: 1, cpuPercentOfOneCore: 10, peakRssMb: 100, eventLoopUtilization: 0.1 }, postgres: { notMeasured: 'test' } },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  for (const [trial, throughput] of [[1, 10], [2, 20]] as const) {
    const id = `rep.cfg.t${trial}`;
    await createExperiment(db.pool, { id, name: 'cfg', producers: 2, consumers: 3, partitions: 2, settings: { ...shortSpec({ durationSeconds: 10 }), group: 'baseline' }, suiteId: 'rep', trial });
    await saveExperimentSummary(db.pool, id, summaryWith(throughput, 100 * trial));
    await finishExperiment(db.pool, id, 'completed', null);
    await insertConsumerLag(db.pool, [0, 1].flatMap((partition) => [0, 1, 2].map((second) => ({
      experimentId: id, consumerId: `group-${trial}`, topic: 't', partition, currentOffset: second, logEndOffset: 3, lag: 3 - second, timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
    }))));
  }
  await createExperiment(db.pool, { id: 'rep.bad.t1', name: hostile, producers: 1, consumers: 1, partitions: 1, settings: {}, suiteId: 'rep', trial: 1 });
  await finishExperiment(db.pool, 'rep.bad.t1', 'failed', `broker down ${hostile}`);
});
afterAll(async () => {
  await db.drop();
});

describe('experiment report', () => {
  it('groups trials of one configuration: mean and spread across trials', async () => {
    // Act
    const groups = groupRuns((await loadReportData(db.pool, { ids: [], suiteId: 'rep' })).runs);

    // Assess
    const cfg = groups.find((group) => group.name === 'cfg')!;
    expect(cfg.summaries).toHaveLength(2);
    expect(cfg.figures.consumerThroughput).toMatchObject({ mean: 15, min: 10, max: 20, n: 2 });
    expect(cfg.figures.consumerThroughput!.sd).toBeCloseTo(Math.SQRT2 * 5, 6);
    expect(cfg.figures.precision!.mean).toBeCloseTo(0.8, 6);
    expect(groups.find((group) => group.name === hostile)).toMatchObject({ failed: 1, summaries: [] });
  });

  it('prints the comparison and the seed benchmark tables, marking what was not measured', async () => {
    // Prepare
    const groups = groupRuns((await loadReportData(db.pool, { ids: [], suiteId: 'rep' })).runs);

    // Act
    const comparison = comparisonTable(groups);
    const benchmark = benchmarkTable(groups);

    // Assess
    expect(comparison).toMatch(/\| cfg +\| 2P\/3C\/2p \|.*\| 2 +\|.*15\.0 ±7\.1 \|/);
    expect(comparison).toMatch(/\| 1 \(\+1 failed\)|0 \(\+1 failed\)/);
    expect(benchmark.split("\n")[0]).toMatch(/configuration +\| throughput \(records\/s\) \| avg latency \(ms\) \| max lag \(records\)/);
    expect(benchmark).toMatch(/<script>alert\(1\)<\/script> 1P\/1C\/1p \| +— \| +— \| +— \|/);
  });

  it('writes a self-contained HTML report with charts, and escapes text from the database', async () => {
    // Prepare
    const data = await loadReportData(db.pool, { ids: [], suiteId: 'rep' });

    // Act
    const html = renderReport(data, new Date('2026-01-01T00:00:00Z'));

    // Assess
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('broker down &lt;script&gt;');
    expect(html).not.toMatch(/(src|href)="http/);
    const charts = [...html.matchAll(/<svg [^>]*aria-label="([^"]*)"/g)].map((match) => match[1]);
    expect(charts).toEqual([
      'Throughput per configuration (mean; error bars: min–max across trials)',
      'End-to-end latency p50/p95/p99 (mean of trials; error bars: min–max)',
      'Latency distribution (share of records per bucket)',
      'rep.cfg.t1',
      'rep.cfg.t2',
    ]);
    expect(html).toMatch(/Consumed throughput against producers .*: nothing measured/); // one configuration: no curve to draw
    expect(html).toContain('partition 1');
    expect(data.lag.map((series) => series.experimentId)).toEqual(['rep.cfg.t1', 'rep.cfg.t2']);
  });

  it('refuses unknown ids and empty suites', async () => {
    // Act + Assess
    await expect(loadReportData(db.pool, { ids: ['nope'], suiteId: null })).rejects.toThrow(/no experiment with id "nope"/);
    await expect(loadReportData(db.pool, { ids: [], suiteId: 'empty' })).rejects.toThrow(/suite "empty" has no experiments/);
  });
});

describe('detection scores', () => {
  it('computes precision, recall and F1 against the labels, per kind, ignoring unlabelled rows', () => {
    // Act
    const scores = detectionScores([
      { label: 'none', flagged: false, count: 80 }, { label: 'none', flagged: true, count: 10 },
      { label: 'keyword', flagged: true, count: 6 }, { label: 'temporal', flagged: false, count: 4 }, { label: null, flagged: true, count: 50 },
    ]);

    // Assess
    expect(scores).toMatchObject({ labelled: 100, truePositives: 6, falsePositives: 10, falseNegatives: 4, trueNegatives: 80 });
    expect(scores.precision).toBeCloseTo(6 / 16, 9);
    expect(scores.recall).toBeCloseTo(0.6, 9);
    expect(scores.f1).toBeCloseTo((2 * (6 / 16) * 0.6) / (6 / 16 + 0.6), 9);
    expect(scores.byKind).toEqual({ keyword: { records: 6, detected: 6, recall: 1 }, temporal: { records: 4, detected: 0, recall: 0 } });
  });

  it('reports null, not zero, when nothing was flagged or no anomaly was stored', () => {
    // Act
    const scores = detectionScores([{ label: 'none', flagged: false, count: 10 }]);

    // Assess
    expect(scores).toMatchObject({ precision: null, recall: null, f1: null });
  });
});
