/**
 * Realistic detector batches for `bench:db`: log lines from the producer's generator, shaped the
 * way the detector's map-record shapes them (ts as the record's ISO text, producedAt as a Date,
 * the label header's value), spread over partitions with increasing offsets, and anomaly rows for
 * about `anomalyRate` of them with feature values and contributions like the detector's.
 */
import { createLogGenerator } from '../../../functions/producer/generator/index.js';
import type { NewAnomaly, NewLog } from '../../../functions/shared/db/index.js';

export interface BenchBatch {
  readonly logs: NewLog[];
  readonly anomalies: NewAnomaly[];
}

const FEATURE_NAMES = ['service', 'level', 'messageLength', 'errorKeyword', 'warningKeyword', 'hour', 'minute', 'template_id'];
/** Default log time of the first generated record (ms since the epoch); records are 50 µs apart (20,000/s). */
const START_MS = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface BatchSource {
  /** The next batch of `size` logs; coordinates never repeat within one source. */
  next(size: number): BenchBatch;
}

export interface BatchSourceOptions {
  readonly partitions: number;
  readonly anomalyRate: number;
  readonly seed: number;
  /** Kafka offset of each partition's first record (default 0): above what a filled database holds. */
  readonly firstOffset?: number;
  /** Log time of the first record, ms since the epoch (default 2026-01-05T09:00Z). */
  readonly startMs?: number;
}

export function createBatchSource(options: BatchSourceOptions): BatchSource {
  const generator = createLogGenerator({ anomalyRate: options.anomalyRate, producerId: 'bench-db', seed: options.seed });
  const nextOffset = new Array<number>(options.partitions).fill(options.firstOffset ?? 0);
  const startMs = options.startMs ?? START_MS;
  let produced = 0;
  // A fixed stride stands in for the model's choice: every k-th log is flagged.
  const stride = Math.max(1, Math.round(1 / options.anomalyRate));

  return {
    next(size: number): BenchBatch {
      const logs: NewLog[] = [];
      const anomalies: NewAnomaly[] = [];
      for (let i = 0; i < size; i++) {
        const nowMs = startMs + produced * 0.05;
        const { record, label } = generator.next(nowMs);
        const partition = produced % options.partitions;
        const offset = nextOffset[partition]!;
        nextOffset[partition] = offset + 1;
        produced += 1;
        const log: NewLog = {
          topic: 'logs',
          partition,
          offset,
          logId: record.id,
          ts: record.ts,
          service: record.service,
          level: record.level,
          message: record.message,
          host: record.host,
          traceId: record.traceId ?? null,
          experimentId: record.experimentId ?? null,
          producerId: record.producerId ?? null,
          label,
          producedAt: new Date(Math.floor(nowMs) + 3),
        };
        logs.push(log);
        if (produced % stride === 0) anomalies.push(anomalyFor(log, produced));
      }
      return { logs, anomalies };
    },
  };
}

function anomalyFor(log: NewLog, n: number): NewAnomaly {
  return { topic: log.topic, partition: log.partition, offset: log.offset, modelVersion: 'bench-model-v1', experimentId: log.experimentId, ...anomalyScoring(n) };
}

/** An anomaly's score, threshold, feature values and contributions like the detector's (they vary with `n`). */
export function anomalyScoring(n: number): Pick<NewAnomaly, 'score' | 'threshold' | 'features' | 'contributions'> {
  const features: Record<string, number> = {};
  const contributions: Array<{ feature: string; contribution: number; value: number }> = [];
  FEATURE_NAMES.forEach((name, i) => {
    const value = ((n * (i + 3)) % 997) / 7;
    features[name] = value;
    contributions.push({ feature: name, contribution: ((n + i) % 13) / 40, value });
  });
  contributions.sort((a, b) => b.contribution - a.contribution);
  return { score: 0.6 + (n % 40) / 100, threshold: 0.61, features, contributions };
}
