/** Builders and probes shared by the detector tests. */
import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { createDetector, type Detector, type DetectorDependencies } from '../../../functions/detector/create-detector.js';
import type { DetectorLogger } from '../../../functions/detector/detector-logger.js';
import { createLogGenerator, type GeneratedLog } from '../../../functions/producer/generator/index.js';
import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { LABEL_HEADER, serializeLogRecord, type LogRecord } from '../../../functions/shared/log/index.js';
import type { ModelPolicyOverrides } from '../../../functions/shared/model/model-policy.js';
import { S3ModelStore } from '../../../functions/shared/model/s3-model-store.js';

export const MODEL_BUCKET = 'models';
export const LOGS_TOPIC = 'logs';
/** Produce time of generated records: 2026-11-24T10:00:00Z, then 250 ms apart. */
export const BASE_MS = Date.parse('2026-11-24T10:00:00.000Z');

/** Small model knobs so training is quick: a 200-record window, 50 trees. */
export const SMALL_POLICY: ModelPolicyOverrides = Object.freeze({ trainingWindow: 200, retryEvery: 50, forest: { trees: 50 } });

export interface LoggedLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** Keeps the detector's log lines in memory. */
export class MemoryDetectorLogger implements DetectorLogger {
  readonly lines: LoggedLine[] = [];

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'info', message, fields });
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'warn', message, fields });
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'error', message, fields });
  }

  /** The "detector batch" lines, oldest first. */
  batchLines(): LoggedLine[] {
    return this.lines.filter((line) => line.message === 'detector batch');
  }

  lastBatch(): Record<string, unknown> {
    const lines = this.batchLines();
    const last = lines[lines.length - 1];
    if (last === undefined) throw new Error('no batch was logged');
    return last.fields;
  }

  /** Everything logged, as the JSON text a log pipeline would receive. */
  text(): string {
    return this.lines.map((line) => JSON.stringify({ level: line.level, message: line.message, ...line.fields })).join('\n');
  }
}

/** A detector on `pool` whose model versions live under `prefix` of the test bucket. */
export function testDetector(options: {
  pool: pg.Pool;
  s3: S3Client;
  prefix: string;
  policy?: ModelPolicyOverrides;
  logger?: DetectorLogger;
  emitter?: DetectorDependencies['emitter'];
  clock?: DetectorDependencies['clock'];
}): Detector {
  return createDetector({
    pool: options.pool,
    modelStore: new S3ModelStore(options.s3, MODEL_BUCKET, options.prefix),
    policy: options.policy ?? SMALL_POLICY,
    logger: options.logger ?? new MemoryDetectorLogger(),
    emitter: options.emitter ?? null,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
}

/** Kafka records for log records on one partition, offsets from `firstOffset`, produce times 250 ms apart. */
export function logRecordInputs(
  records: readonly LogRecord[],
  options: { partition: number; firstOffset: number; topic?: string; labels?: readonly string[]; firstTimestamp?: number },
): KafkaRecordInput[] {
  return records.map((record, i) => ({
    topic: options.topic ?? LOGS_TOPIC,
    partition: options.partition,
    offset: options.firstOffset + i,
    timestamp: (options.firstTimestamp ?? BASE_MS) + i * 250,
    key: record.service,
    value: serializeLogRecord(record),
    headers: [{ key: LABEL_HEADER, value: options.labels?.[i] ?? 'none' }],
  }));
}

/** `count` records from the producer's generator (5% labelled anomalies), with their Kafka records. */
export function generatedBatch(options: { count: number; partition: number; firstOffset: number; seed: number; startIndex?: number }): {
  generated: GeneratedLog[];
  inputs: KafkaRecordInput[];
} {
  const generator = createLogGenerator({ anomalyRate: 0.05, seed: options.seed, producerId: 'producer-test', experimentId: 'exp-detector' });
  const first = BASE_MS + (options.startIndex ?? 0) * 250;
  const generated = Array.from({ length: options.count }, (_, i) => generator.next(first + i * 250));
  const inputs = logRecordInputs(
    generated.map((one) => one.record),
    { partition: options.partition, firstOffset: options.firstOffset, labels: generated.map((one) => one.label), firstTimestamp: first },
  );
  return { generated, inputs };
}

/** Records no normal traffic looks like: FATAL, long stack traces, 03:xx UTC, a service never seen. */
export function obviousAnomalies(count: number): LogRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `obvious-${i}`,
    ts: `2026-11-24T03:${String(10 + i).padStart(2, '0')}:00.000Z`,
    service: 'payments-legacy',
    level: 'FATAL' as const,
    message: `unhandled exception: connection pool exhausted ${'at com.example.Ledger.post(Ledger.java:42) '.repeat(20 + i)}`,
    host: 'batch-9.internal',
  }));
}

export interface TableCounts {
  logs: number;
  anomalies: number;
  deadLetters: number;
  models: number;
}

export async function tableCounts(pool: pg.Pool): Promise<TableCounts> {
  const result = await pool.query<{ logs: number; anomalies: number; dead_letters: number; models: number }>(
    `SELECT (SELECT count(*)::int FROM logs) AS logs, (SELECT count(*)::int FROM anomalies) AS anomalies,
            (SELECT count(*)::int FROM dead_letters) AS dead_letters, (SELECT count(*)::int FROM models) AS models`,
  );
  const row = result.rows[0]!;
  return { logs: row.logs, anomalies: row.anomalies, deadLetters: row.dead_letters, models: row.models };
}

/** Empties the detector's tables (tests sharing one database between cases). */
export async function truncateDetectorTables(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE logs, anomalies, dead_letters, models, detector_streams RESTART IDENTITY CASCADE');
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (outcome === null) throw new Error('expected the call to fail');
  return outcome;
}
