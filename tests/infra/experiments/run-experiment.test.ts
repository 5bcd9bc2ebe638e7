import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperiment, getExperiment, listExperiments } from '../../../functions/shared/db/index.js';
import { parseBatchArgs } from '../../../infra/experiments/batch-args.js';
import type { ExperimentSummary } from '../../../infra/experiments/experiment-summary.js';
import { runExperiment } from '../../../infra/experiments/run-experiment.js';
import { planSuite, runSuite } from '../../../infra/experiments/run-suite.js';
import { connectServices, type ExperimentServices } from '../../../infra/experiments/services.js';
import type { SuiteEntry } from '../../../infra/experiments/suite.js';
import { startTestBroker } from '../../helpers/broker.js';
import { shortSpec, startExperimentTestServices, type ExperimentTestServices } from './experiment-kit.js';

let test: ExperimentTestServices;
let services: ExperimentServices;

beforeAll(async () => {
  test = await startExperimentTestServices();
  services = await connectServices(test.env, 'environment');
});
afterAll(async () => {
  await services?.close();
  await test?.stop();
});

describe('runExperiment', () => {
  it('runs a short experiment end to end and leaves a completed row with metrics, lag and detection scores', async () => {
    // Prepare
    const spec = shortSpec({ name: 'e2e', producers: 2, consumers: 4, partitions: 3, warmupSeconds: 1 });
    const phases = new Set<string>();

    // Act
    const { experimentId, summary } = await runExperiment(spec, { services, onProgress: (progress) => phases.add(progress.phase) });

    // Assess
    const row = await getExperiment(services.pool, experimentId);
    expect(row).toMatchObject({ name: 'e2e', producers: 2, consumers: 4, partitions: 3, status: 'completed' });
    expect(row!.endedAt).not.toBeNull();
    const stored = row!.summary as ExperimentSummary;
    expect(stored.producers.sent).toBe(summary.producers.sent);
    expect(summary.producers.sent).toBeGreaterThan(100);
    expect(summary.producers.warmupSent).toBeGreaterThan(0);
    expect(summary.producers.deliverySuccessRate).toBe(1);
    expect(summary.consumers.stored).toBe(summary.producers.sent); // drained: every measured record stored
    expect(summary.consumers).toMatchObject({ pollers: 3, idlePollers: 1, requested: 4, unprocessed: 0 });
    expect(summary.consumers.e2eLatencyMs!.p50).toBeGreaterThan(0);
    expect(summary.consumers.e2eLatencyMs!.p99).toBeGreaterThanOrEqual(summary.consumers.e2eLatencyMs!.p50);
    expect(summary.notes.join(' ')).toMatch(/1 of 4 pollers idle/);
    expect(summary.lag.drained).toBe(true);
    expect(summary.detection.labelled).toBe(summary.consumers.stored);
    expect(summary.detection.truePositives + summary.detection.falseNegatives).toBeGreaterThan(0);
    expect(summary.detection.recall).not.toBeNull();
    expect(summary.detection.f1).not.toBeNull();
    expect(summary.resources.runnerProcess.cpuSeconds).toBeGreaterThan(0);
    expect(summary.machine.cores).toBeGreaterThan(0);
    expect([...phases]).toEqual(expect.arrayContaining(['warmup', 'measuring', 'draining']));
    const lagRows = await services.pool.query('SELECT DISTINCT partition FROM consumer_lag WHERE experiment_id = $1 ORDER BY partition', [experimentId]);
    expect(lagRows.rows.map((r) => r.partition)).toEqual([0, 1, 2]);
    const metrics = await services.pool.query(`SELECT metric_name FROM performance_metrics WHERE experiment_id = $1 AND component_type = 'experiment'`, [experimentId]);
    expect(metrics.rows.map((r) => r.metric_name)).toEqual(expect.arrayContaining(['producer_throughput', 'consumer_throughput', 'e2e_latency_p95', 'max_lag', 'recall']));
    const admin = services.kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics().finally(() => admin.disconnect());
    expect(topics).not.toContain(`logs.exp.${experimentId}`); // the experiment's topic is deleted afterwards
  });

  it('marks the experiment failed with a reason when the broker stops part-way', async () => {
    // Prepare
    const broker = await startTestBroker({ controlPlanePort: 0 });
    const own = await connectServices({ ...test.env, KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, MSK_CLUSTER_ARN: broker.clusterArn }, 'environment');
    let stopping: Promise<void> | null = null;
    try {
      // Act
      const run = runExperiment(shortSpec({ name: 'broker-stops', durationSeconds: 60 }), {
        services: own,
        experimentId: 'broker-stops-1',
        onProgress: (progress) => {
          if (progress.stored > 20) stopping ??= broker.close();
        },
      });

      // Assess
      await expect(run).rejects.toThrow();
      const row = await getExperiment(own.pool, 'broker-stops-1');
      expect(row).toMatchObject({ status: 'failed' });
      expect(row!.statusReason).toMatch(/producer gave up|consumer lag could not be sampled/);
    } finally {
      await stopping;
      await own.close();
      await broker.close().catch(() => undefined);
    }
  });
});

describe('runSuite', () => {
  it('resumes a suite: completed runs are skipped, a run left running is marked failed and run again', async () => {
    // Prepare
    const entries: SuiteEntry[] = [{ group: 'baseline', name: 'tiny', producers: 1, consumers: 1, partitions: 1, rateMultiplier: 1 }];
    const command = (trials: number) => parseBatchArgs(['2s', '0', '--trials', String(trials), '--rate', '20', '--drain-timeout', '20s']);
    const signal = new AbortController().signal;
    await runSuite('resume-test', planSuite(command(1), entries), 0, { services, signal });
    await createExperiment(services.pool, { id: 'resume-test.tiny.t2', name: 'tiny', producers: 1, consumers: 1, partitions: 1, settings: {}, suiteId: 'resume-test', trial: 2 });

    // Act
    const outcome = await runSuite('resume-test', planSuite(command(2), entries), 0, { services, signal });

    // Assess
    expect(outcome).toMatchObject({ skipped: ['resume-test.tiny.t1'], completed: ['resume-test.tiny.t2.a2'], failed: [], interrupted: false });
    const runs = await listExperiments(services.pool, { suiteId: 'resume-test' });
    expect(Object.fromEntries(runs.map((run) => [run.id, run.status]))).toEqual({
      'resume-test.tiny.t1': 'completed',
      'resume-test.tiny.t2': 'failed',
      'resume-test.tiny.t2.a2': 'completed',
    });
    expect(runs.find((run) => run.id === 'resume-test.tiny.t2')!.statusReason).toMatch(/abandoned/);
  });

  it('refuses to resume a suite with other settings', async () => {
    // Prepare
    const entries: SuiteEntry[] = [{ group: 'baseline', name: 'tiny', producers: 1, consumers: 1, partitions: 1, rateMultiplier: 1 }];

    // Act
    const attempt = runSuite('resume-test', planSuite(parseBatchArgs(['3s', '0', '--rate', '20']), entries), 0, { services, signal: new AbortController().signal });

    // Assess
    await expect(attempt).rejects.toThrow(/suite resume-test was run with other settings \(tiny durationSeconds was 2, now 3/);
  });
});
