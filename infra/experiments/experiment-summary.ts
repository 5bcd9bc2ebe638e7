/**
 * The measured summary of one run (stored in experiments.summary; shape documented in
 * docs/experiments.md). Every figure here was measured in the run; what could not be measured is
 * null or says why. Rates are records/s, latencies ms, times ISO 8601 UTC.
 */
import { summarizeLatencies } from '../../functions/shared/metrics/index.js';
import type { ConsumerMeasurements, Detection, Percentiles } from './consumer-measurements.js';
import type { InvocationStats } from './detector-containers.js';
import { idlePollers, type ExperimentSpec } from './experiment-spec.js';
import type { LagSample } from './lag-sampler.js';
import type { MachineInfo } from './machine.js';
import type { FleetResult } from './producer-fleet.js';
import type { ResourceSummary } from './resource-sampler.js';
import type { ServicesOrigin } from './services.js';

export const summarySchemaVersion = 1;

export interface ExperimentSummary {
  readonly schema: typeof summarySchemaVersion;
  readonly settings: ExperimentSpec;
  readonly machine: MachineInfo;
  readonly services: ServicesOrigin;
  readonly window: { readonly measuredFrom: string; readonly producersStoppedAt: string; readonly drainedAt: string | null; readonly measuredSeconds: number };
  readonly producers: {
    readonly count: number;
    readonly sent: number;
    readonly failed: number;
    readonly warmupSent: number;
    readonly throughput: number;
    readonly sendLatencyMs: (Omit<Percentiles, 'mean'> & { readonly sends: number }) | null;
    readonly deliverySuccessRate: number;
  };
  readonly consumers: {
    readonly requested: number;
    readonly pollers: number;
    readonly idlePollers: number;
    readonly partitions: number;
    readonly partitionsWithRecords: number | null;
    readonly invocations: number;
    readonly failedInvocations: number;
    readonly recordsPerInvocation: number | null;
    readonly maxConcurrentInvocations: number;
    readonly containers: number;
    readonly stored: number;
    /** Measured records sent but not stored when the run ended (lag left, or dead-lettered). */
    readonly unprocessed: number;
    readonly deadLetters: number;
    readonly throughput: number | null;
    readonly e2eLatencyMs: Percentiles | null;
    readonly latencyHistogram: ConsumerMeasurements['latencyHistogram'];
    readonly anomaliesFlagged: number;
    readonly anomalyRate: number | null;
  };
  readonly lag: { readonly samples: number; readonly maxTotal: number | null; readonly maxByPartition: Record<string, number>; readonly drained: boolean; readonly remaining: number | null; readonly drainSeconds: number | null };
  readonly detection: Detection & { readonly modelVersion: string; readonly model: string };
  readonly resources: ResourceSummary;
  readonly series: { readonly producedPerSecond: ConsumerMeasurements['producedPerSecond']; readonly storedPerSecond: ConsumerMeasurements['storedPerSecond'] };
  readonly notes: readonly string[];
}

export interface SummaryInputs {
  readonly spec: ExperimentSpec;
  readonly machine: MachineInfo;
  readonly services: ServicesOrigin;
  readonly fleet: FleetResult;
  readonly pollers: number;
  readonly invocations: InvocationStats;
  readonly lagSamples: readonly LagSample[];
  readonly drainedAtMs: number | null;
  readonly consumers: ConsumerMeasurements;
  readonly resources: ResourceSummary;
  readonly model: { readonly version: string; readonly trainingRows: number };
}

const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function buildSummary(input: SummaryInputs): ExperimentSummary {
  const { spec, fleet, consumers, invocations, lagSamples } = input;
  const sent = fleet.producers.reduce((sum, p) => sum + p.sent, 0);
  const failed = fleet.producers.reduce((sum, p) => sum + p.failed, 0);
  const producingSeconds = Math.max((fleet.measuredUntilMs - fleet.measuredFromMs) / 1000, 1e-3);
  const send = summarizeLatencies(fleet.sendLatenciesMs);
  const last = lagSamples[lagSamples.length - 1] ?? null;
  const maxByPartition: Record<string, number> = {};
  for (const sample of lagSamples) for (const p of sample.partitions) maxByPartition[p.partition] = Math.max(maxByPartition[p.partition] ?? 0, p.lag);
  const partitionsWithRecords = last === null ? null : last.partitions.filter((p) => p.logEnd > 0).length;
  const consumingSeconds = consumers.lastStoredAtMs === null ? null : Math.max((consumers.lastStoredAtMs - fleet.measuredFromMs) / 1000, 1e-3);
  const idle = idlePollers(spec);
  const unprocessed = Math.max(0, sent - consumers.stored);

  const notes: string[] = [];
  if (idle > 0) notes.push(`${idle} of ${spec.consumers} pollers idle: the topic has ${spec.partitions} partition(s) and each partition is read by one poller of the group`);
  if (partitionsWithRecords !== null && partitionsWithRecords < spec.partitions) {
    notes.push(`only ${partitionsWithRecords} of ${spec.partitions} partitions received records: records are keyed by service, so partitions beyond the number of distinct services stay empty`);
  }
  if (input.drainedAtMs === null) notes.push(`the lag did not reach 0 within ${spec.drainTimeoutSeconds}s after the producers stopped; consumer figures cover the ${consumers.stored} records stored by then`);
  if (invocations.deadLetters > 0) notes.push(`${invocations.deadLetters} records were dead-lettered`);
  if (invocations.modelVersions.has('none')) notes.push('some batches were stored without a model (unscored)');

  return {
    schema: summarySchemaVersion,
    settings: spec,
    machine: input.machine,
    services: input.services,
    window: {
      measuredFrom: new Date(fleet.measuredFromMs).toISOString(),
      producersStoppedAt: new Date(fleet.measuredUntilMs).toISOString(),
      drainedAt: input.drainedAtMs === null ? null : new Date(input.drainedAtMs).toISOString(),
      measuredSeconds: round(producingSeconds),
    },
    producers: {
      count: spec.producers,
      sent,
      failed,
      warmupSent: fleet.warmupSent,
      throughput: round(sent / producingSeconds),
      sendLatencyMs: send === null ? null : { p50: send.p50, p95: send.p95, p99: send.p99, max: send.max, sends: send.count },
      deliverySuccessRate: sent + failed === 0 ? 1 : round(sent / (sent + failed), 6),
    },
    consumers: {
      requested: spec.consumers,
      pollers: input.pollers,
      idlePollers: idle,
      partitions: spec.partitions,
      partitionsWithRecords,
      invocations: invocations.invocations,
      failedInvocations: invocations.failedInvocations,
      recordsPerInvocation: invocations.invocations === 0 ? null : round(invocations.records / invocations.invocations, 2),
      maxConcurrentInvocations: invocations.maxConcurrent,
      containers: invocations.containers,
      stored: consumers.stored,
      unprocessed,
      deadLetters: invocations.deadLetters,
      throughput: consumingSeconds === null ? null : round(consumers.stored / consumingSeconds),
      e2eLatencyMs: consumers.e2eLatencyMs === null ? null : mapValues(consumers.e2eLatencyMs, (v) => round(v, 1)),
      latencyHistogram: consumers.latencyHistogram,
      anomaliesFlagged: consumers.flagged,
      anomalyRate: consumers.stored === 0 ? null : round(consumers.flagged / consumers.stored, 4),
    },
    lag: {
      samples: lagSamples.length,
      maxTotal: lagSamples.length === 0 ? null : Math.max(...lagSamples.map((s) => s.total)),
      maxByPartition,
      drained: input.drainedAtMs !== null,
      remaining: last?.total ?? null,
      drainSeconds: input.drainedAtMs === null ? null : round(Math.max(0, input.drainedAtMs - fleet.measuredUntilMs) / 1000),
    },
    detection: {
      ...consumers.detection,
      modelVersion: input.model.version,
      model: `reference Isolation Forest trained before the run on ${input.model.trainingRows} generated records (no retraining during the run)`,
    },
    resources: input.resources,
    series: { producedPerSecond: consumers.producedPerSecond, storedPerSecond: consumers.storedPerSecond },
    notes,
  };
}

function mapValues<T extends object>(value: T, map: (n: number) => number): T {
  return Object.fromEntries(Object.entries(value).map(([key, n]) => [key, map(n as number)])) as T;
}
