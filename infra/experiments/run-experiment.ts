/**
 * One experiment, end to end: record the `experiments` row (running) → (re)create the experiment's
 * topic → publish the reference model → start the detector's mapping (pollers = consumers) →
 * sample lag and resources → run the producers (warm-up, then the measured phase) → wait for the
 * lag to drain (bounded) → measure → store the summary and finish the row `completed`.
 * Invariant: once the row exists it ends `completed` or `failed` with a reason — an interrupt
 * (ctx.signal) or a failure of any part (a producer giving up, lag sampling failing repeatedly)
 * aborts the run at once, marks the row failed, then cleans up with bounded waits.
 */
import { randomBytes } from 'node:crypto';
import { loadModelConfig } from '../../functions/shared/config/index.js';
import { createExperiment, finishExperiment, saveExperimentSummary } from '../../functions/shared/db/index.js';
import { measureConsumers } from './consumer-measurements.js';
import { startDetectorMapping, type DetectorMapping } from './detector-mapping.js';
import { ExperimentInfrastructureError, ExperimentInterruptedError } from './errors.js';
import type { ExperimentSpec } from './experiment-spec.js';
import { buildSummary, type ExperimentSummary } from './experiment-summary.js';
import { deleteTopic, experimentTopic, recreateTopic } from './experiment-topic.js';
import { LagSampler } from './lag-sampler.js';
import { machineAtEnd, machineAtStart } from './machine.js';
import { runProducerFleet } from './producer-fleet.js';
import { publishReferenceModel } from './reference-model.js';
import { loadDetectionConfig } from '../../functions/shared/model/detection-config.js';
import { ResourceSampler } from './resource-sampler.js';
import { RunLog } from './run-log.js';
import type { ExperimentServices } from './services.js';
import { storeSummaryMetrics } from './summary-metrics.js';
import { sleepUnlessAborted, withTimeout } from './timeouts.js';

export type RunPhase = 'preparing' | 'warmup' | 'measuring' | 'draining' | 'summarising';

export interface RunProgress {
  readonly experimentId: string;
  readonly phase: RunPhase;
  /** Seconds into the phase and its planned length (null: open-ended). */
  readonly phaseElapsedSeconds: number;
  readonly phaseSeconds: number | null;
  readonly sent: number;
  readonly stored: number;
  readonly lag: number | null;
}

export interface RunContext {
  readonly services: ExperimentServices;
  /** Aborting it (Ctrl-C) fails the run with the abort reason. */
  readonly signal?: AbortSignal;
  readonly experimentId?: string;
  readonly suite?: { readonly suiteId: string; readonly trial: number; readonly group: string };
  readonly onProgress?: (progress: RunProgress) => void;
  /** Echo detector/mapping warnings and errors as JSON lines. */
  readonly echoLog?: (line: string) => void;
}

export interface RunResult {
  readonly experimentId: string;
  readonly summary: ExperimentSummary;
}

export function newExperimentId(name: string, now = new Date()): string {
  return `${name}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '')}-${randomBytes(2).toString('hex')}`;
}

export async function runExperiment(spec: ExperimentSpec, ctx: RunContext): Promise<RunResult> {
  const { services } = ctx;
  const { pool, kafka } = services;
  const id = ctx.experimentId ?? newExperimentId(spec.name);
  const topic = experimentTopic(id);
  const machine = machineAtStart();
  const log = new RunLog(ctx.echoLog ?? null);
  await createExperiment(pool, {
    id,
    name: spec.name,
    producers: spec.producers,
    consumers: spec.consumers,
    partitions: spec.partitions,
    settings: { ...spec, topic, services: services.origin, group: ctx.suite?.group ?? null, machine },
    suiteId: ctx.suite?.suiteId ?? null,
    trial: ctx.suite?.trial ?? null,
  });

  const failure = new AbortController();
  const fail = (error: Error) => failure.signal.aborted || failure.abort(error);
  const onInterrupt = () => fail(new ExperimentInterruptedError(`interrupted: ${String(ctx.signal?.reason ?? 'aborted')}`));
  if (ctx.signal?.aborted) onInterrupt();
  ctx.signal?.addEventListener('abort', onInterrupt, { once: true });
  const failed = new Promise<never>((_, reject) => failure.signal.addEventListener('abort', () => reject(failure.signal.reason), { once: true }));
  failed.catch(() => undefined);
  const untilFailure = <T>(work: Promise<T>): Promise<T> => Promise.race([work, failed]);

  const live = { sent: 0, failed: 0, phase: 'connecting' as 'connecting' | 'warmup' | 'measured' | 'done' };
  let phase: RunPhase = 'preparing';
  let phaseStart = Date.now();
  let mapping: DetectorMapping | null = null;
  let lag: LagSampler | null = null;
  let topicCreated = false;
  // Every phase is reported when entered (a short one would otherwise fall between two ticks).
  const enter = (next: RunPhase) => {
    phase = next;
    phaseStart = Date.now();
    report();
  };
  const phaseSeconds = (): number | null => (phase === 'warmup' ? spec.warmupSeconds : phase === 'measuring' ? spec.durationSeconds : phase === 'draining' ? spec.drainTimeoutSeconds : null);
  const report = () =>
    ctx.onProgress?.({ experimentId: id, phase, phaseElapsedSeconds: (Date.now() - phaseStart) / 1000, phaseSeconds: phaseSeconds(), sent: live.sent, stored: mapping?.containers.stats.stored ?? 0, lag: lag?.latest?.total ?? null });
  const ticker = setInterval(report, 500);

  const work = (async (): Promise<ExperimentSummary> => {
    await recreateTopic(kafka, topic, spec.partitions);
    topicCreated = true;
    const model = await publishReferenceModel(services.s3, services.s3Config.modelBucket, loadModelConfig(services.env), spec.anomalyRate, loadDetectionConfig(services.env));
    mapping = await startDetectorMapping({ services, spec, experimentId: id, topic, logger: log });
    lag = new LagSampler({ kafka, pool, experimentId: id, topic, groupId: mapping.groupId, intervalMs: 1000, maxConsecutiveFailures: 5, onFailure: (reason) => fail(new ExperimentInfrastructureError(reason)) });
    await lag.start();
    const resources = new ResourceSampler(['producers', 'event-source mapping', 'detector', ...services.inProcess]);
    let resourcesStarted: Promise<void> = Promise.resolve();
    if (spec.warmupSeconds > 0) enter('warmup');
    const fleet = await runProducerFleet({
      kafka, topic, metricsTopic: services.kafkaConfig.metricsTopic, experimentId: id, spec, live,
      stopRequested: () => failure.signal.aborted,
      onMeasuredPhase: () => {
        enter('measuring');
        resourcesStarted = resources.start(pool);
      },
    });
    enter('draining');
    const drainedAtMs = await waitForDrain(lag, spec.drainTimeoutSeconds, failure.signal);
    await resourcesStarted;
    const usage = resources.stop();
    await lag.stop();
    enter('summarising');
    const consumers = await measureConsumers(pool, topic, fleet.measuredFromMs);
    return buildSummary({
      spec, machine: machineAtEnd(machine), services: services.origin, fleet, pollers: mapping.runner.consumerCount, invocations: mapping.containers.stats,
      lagSamples: lag.samples, drainedAtMs, consumers, resources: usage, model,
    });
  })();
  work.catch(() => undefined);
  try {
    const summary = await untilFailure(work);
    await saveExperimentSummary(pool, id, summary);
    await storeSummaryMetrics(pool, id, summary);
    await finishExperiment(pool, id, 'completed', summary.notes.length > 0 ? summary.notes.join('; ') : null);
    return { experimentId: id, summary };
  } catch (error) {
    const cause = failure.signal.aborted ? (failure.signal.reason as Error) : (error as Error);
    fail(cause);
    const detail = log.lastError();
    const reason = `${cause.message}${detail !== null && !cause.message.includes(detail) ? ` (last error logged: ${detail})` : ''}`;
    await finishExperiment(pool, id, 'failed', reason.slice(0, 2000)).catch((finishError: unknown) => {
      process.stderr.write(`could not mark experiment ${id} failed: ${(finishError as Error).message}\n`);
    });
    throw cause;
  } finally {
    clearInterval(ticker);
    ctx.signal?.removeEventListener('abort', onInterrupt);
    // After a failure the steps still in flight notice the abort and end; wait (bounded) so a
    // mapping that was still starting is stopped below rather than left consuming.
    await withTimeout(work, 15_000, 'ending the run').catch(() => undefined);
    const m = mapping as DetectorMapping | null;
    await Promise.allSettled([
      (lag as LagSampler | null)?.stop(),
      m === null ? undefined : withTimeout(m.close(), 15_000, 'stopping the detector mapping'),
    ]);
    if (topicCreated) await withTimeout(deleteTopic(kafka, topic), 10_000, 'deleting the experiment topic').catch(() => undefined);
  }
}

/** Samples the lag until it is 0 (returns that moment) or the timeout passes (returns null). */
async function waitForDrain(lag: LagSampler, timeoutSeconds: number, signal: AbortSignal): Promise<number | null> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  while (!signal.aborted) {
    const sample = await lag.sampleNow();
    if (sample !== null && sample.total === 0) return sample.timestampMs;
    if (Date.now() >= deadline) return null;
    await sleepUnlessAborted(250, signal);
  }
  return null;
}
