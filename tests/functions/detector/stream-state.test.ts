/**
 * The detector's feature state lives in PostgreSQL per stream (topic-partition), not in whichever
 * container got the batch: the same stream scored by one container or by four gives the same
 * anomalies, and so does a redelivered batch or a cold container mid-stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createDetector, type Detector } from '../../../functions/detector/create-detector.js';
import { createLogGenerator, Prng } from '../../../functions/producer/generator/index.js';
import { createPool } from '../../../functions/shared/db/index.js';
import { InfrastructureError } from '../../../functions/shared/errors.js';
import { fullFeatureSet } from '../../../functions/shared/features/index.js';
import type { KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { LABEL_HEADER, serializeLogRecord } from '../../../functions/shared/log/index.js';
import { featureSchemaOf } from '../../../functions/shared/model/model-artifact.js';
import type { ModelPolicyOverrides } from '../../../functions/shared/model/model-policy.js';
import { S3ModelStore } from '../../../functions/shared/model/s3-model-store.js';
import { mskEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { BASE_MS, LOGS_TOPIC, MODEL_BUCKET, MemoryDetectorLogger, rejectionOf, type LoggedLine } from './detector-kit.js';

const PREFIX = 'streams/models/';
const PARTITIONS = 3;
/**
 * The production feature set; no retrain while the runs last (one model for all of them): the floor
 * is a day and there is no scheduled retrain. The first model is a full one (no refinement due).
 */
const POLICY: ModelPolicyOverrides = Object.freeze({
  featureSet: 'full',
  thresholdRule: 'anchor',
  trainingWindow: 400,
  firstTrainingWindow: 400,
  retryEvery: 50,
  retrainEvery: 0,
  retrainMinSeconds: 86_400,
  forest: { trees: 50 },
});

let s3: TestS3;
const databases: TestDatabase[] = [];
const pools: pg.Pool[] = [];

/** One detector container: its own pool, S3 client, model manager and stream cache. */
function newContainer(db: TestDatabase, prefix = PREFIX): { detector: Detector; logger: MemoryDetectorLogger } {
  const pool = createPool({ connectionString: db.connectionString, max: 2 });
  pools.push(pool);
  const logger = new MemoryDetectorLogger();
  const detector = createDetector({
    pool,
    modelStore: new S3ModelStore(s3.newClient(), MODEL_BUCKET, prefix, { featureSchema: featureSchemaOf(fullFeatureSet) }),
    policy: POLICY,
    logger,
    emitter: null,
  });
  return { detector, logger };
}

async function newDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase();
  databases.push(db);
  return db;
}

/** Which of the 3 partitions a service's records go to (records are keyed by service). */
function partitionOf(service: string): number {
  let hash = 0;
  for (let i = 0; i < service.length; i++) hash = (hash * 31 + service.charCodeAt(i)) >>> 0;
  return hash % PARTITIONS;
}

/** `count` records of the producer's generator (5 % anomalies), as Kafka records, per partition in offset order. */
function seededStream(options: { seed: number; count: number; startIndex: number }): KafkaRecordInput[][] {
  const generator = createLogGenerator({ anomalyRate: 0.05, seed: options.seed, producerId: 'producer-streams', experimentId: 'exp-streams' });
  const partitions: KafkaRecordInput[][] = Array.from({ length: PARTITIONS }, () => []);
  for (let i = 0; i < options.count; i++) {
    const at = BASE_MS + (options.startIndex + i) * 250;
    const { record, label, key } = generator.next(at);
    const partition = partitionOf(key);
    const records = partitions[partition]!;
    records.push({ topic: LOGS_TOPIC, partition, offset: records.length, timestamp: at, key, value: serializeLogRecord(record), headers: [{ key: LABEL_HEADER, value: label }] });
  }
  return partitions;
}

/**
 * The stream cut into MSK events as the event source would: each event takes the next run of 20–90
 * records from some of the partitions (seeded), so every partition's records arrive in offset order.
 */
function eventsOf(partitions: readonly KafkaRecordInput[][], seed: number): KafkaRecordInput[][] {
  const prng = new Prng(seed);
  const next = partitions.map(() => 0);
  const events: KafkaRecordInput[][] = [];
  while (partitions.some((records, p) => next[p]! < records.length)) {
    const records: KafkaRecordInput[] = [];
    partitions.forEach((all, p) => {
      if (next[p]! >= all.length || !prng.chance(0.6)) return;
      const size = prng.between(20, 90);
      records.push(...all.slice(next[p], next[p]! + size));
      next[p] = Math.min(all.length, next[p]! + size);
    });
    if (records.length > 0) events.push(records);
  }
  return events;
}

interface StoredAnomaly {
  partition: number;
  offset: number;
  score: number;
  templateId: number | null;
  modelVersion: string;
}

async function anomaliesOf(db: TestDatabase): Promise<StoredAnomaly[]> {
  const result = await db.pool.query<StoredAnomaly>(
    `SELECT l.partition, l.kafka_offset::int AS "offset", a.score, (a.features->>'template_id')::int AS "templateId", a.model_version AS "modelVersion"
     FROM anomalies a JOIN logs l ON l.id = a.log_pk ORDER BY l.partition, l.kafka_offset`,
  );
  return result.rows;
}

/** Hands each event, in order, to the container `pick` chooses; returns what every delivery reported. */
async function deliver(events: readonly KafkaRecordInput[][], containers: readonly Detector[], pick: (index: number) => number = () => 0) {
  const summaries = [];
  for (const [i, records] of events.entries()) summaries.push(await containers[pick(i)]!.handle(mskEvent(records)));
  return summaries;
}

let version = '';
let events: KafkaRecordInput[][] = [];
/** The anomalies of the whole stream delivered once to one container: what every other way of delivering it must give. */
let reference: StoredAnomaly[] = [];

beforeAll(async () => {
  s3 = await startTestS3([MODEL_BUCKET]);
  // A model trained once, published to S3: every container of every run loads it.
  const { detector: trainer, logger } = newContainer(await newDatabase());
  for (const records of eventsOf(seededStream({ seed: 101, count: 800, startIndex: 0 }), 102)) {
    const summary = await trainer.handle(mskEvent(records));
    if (summary.trained !== undefined) version = summary.trained;
    if (version !== '') break;
  }
  expect(version, logger.text()).not.toBe('');

  events = eventsOf(seededStream({ seed: 7, count: 1500, startIndex: 800 }), 8);
  const db = await newDatabase();
  await deliver(events, [newContainer(db).detector]);
  reference = await anomaliesOf(db);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(pools.map((pool) => pool.end()));
  await Promise.allSettled(databases.map((db) => db.drop()));
  await s3?.stop();
});

describe('detector: feature state per stream in PostgreSQL', () => {
  it('scores a stream the same through one container or four chosen at random, with anomalies found', async () => {
    // Prepare
    const db = await newDatabase();
    const containers = Array.from({ length: 4 }, () => newContainer(db));
    const prng = new Prng(20);
    const choices = events.map(() => prng.int(containers.length));

    // Act
    await deliver(events, containers.map((one) => one.detector), (i) => choices[i]!);

    // Assess
    expect(events.length).toBeGreaterThanOrEqual(20);
    expect(new Set(choices).size).toBe(4);
    expect(reference.length).toBeGreaterThan(0);
    expect(reference.every((anomaly) => anomaly.modelVersion === version)).toBe(true);
    expect(await anomaliesOf(db)).toEqual(reference);
    // One row per partition: the state learned the whole stream, in one revision per batch of it.
    const rows = await db.pool.query('SELECT stream_key, model_version, next_offset::int AS next, revision::int FROM detector_streams ORDER BY stream_key');
    const batchesOf = (p: number) => events.filter((records) => records.some((record) => record.partition === p)).length;
    const sizes = seededStreamSizes();
    expect(rows.rows).toEqual([0, 1, 2].map((p) => ({ stream_key: `logs-${p}`, model_version: version, next: sizes[p], revision: batchesOf(p) - 1 })));
    // A container whose cached state of a stream another container moved on read it again before
    // scoring (more reads than streams first seen per container), so no batch needed a second transaction.
    const streamsOf = (lines: readonly LoggedLine[]) => lines.map((line) => line.fields.streams as { scored: number; read: number; attempts?: number });
    const perContainer = containers.map((one) => streamsOf(one.logger.batchLines()));
    const firstSightings = containers.map((_, c) => new Set(events.filter((__, i) => choices[i] === c).flat().map((record) => record.partition)).size);
    const reads = perContainer.map((lines) => lines.reduce((sum, line) => sum + line.read, 0));
    expect(reads.reduce((a, b) => a + b, 0)).toBeGreaterThan(firstSightings.reduce((a, b) => a + b, 0));
    expect(perContainer.flat().every((line) => line.attempts === undefined)).toBe(true);
    expect(containers.flatMap((one) => one.logger.batchLines()).every((line) => line.fields.stored === line.fields.records)).toBe(true);
  });

  it('gives the same anomalies however the stream is cut into batches, down to one record a batch (late verdicts)', async () => {
    // Prepare: the same records, one to three of one partition per event, as at the seed's one record a second
    const db = await newDatabase();
    const containers = [newContainer(db).detector, newContainer(db).detector];
    const small = tinyEvents(events, 31);

    // Act
    const summaries = await deliver(small, containers, (i) => i % containers.length);

    // Assess: the same anomalies (logs, scores, templates), some of them found by a later batch
    expect(small.length).toBeGreaterThan(events.length * 10);
    expect(await anomaliesOf(db)).toEqual(reference);
    expect(summaries.some((summary) => (summary.lateAnomalies ?? 0) > 0)).toBe(true);
  });

  it('gives the same anomalies when a batch is delivered twice, to the same container or to a cold one', async () => {
    // Prepare
    const db = await newDatabase();
    const warm = newContainer(db).detector;
    const cold = newContainer(db).detector;
    const again = [5, 12];

    // Act
    const redelivered = [];
    for (const [i, records] of events.entries()) {
      await warm.handle(mskEvent(records));
      if (i === again[0]) redelivered.push(await warm.handle(mskEvent(records)));
      if (i === again[1]) redelivered.push(await cold.handle(mskEvent(records)));
    }

    // Assess
    expect(redelivered).toEqual(again.map((i) => expect.objectContaining({ records: events[i]!.length, stored: 0, duplicates: events[i]!.length, anomalies: 0 })));
    expect(await anomaliesOf(db)).toEqual(reference);
  });

  it('gives the same anomalies when a redelivery races the first delivery in another container', async () => {
    // Prepare
    const db = await newDatabase();
    const [first, second] = [newContainer(db), newContainer(db)];
    const racing = [4, 10, 15];

    // Act: each racing event goes to both containers at once; the rest to either, in turn
    const raced = [];
    for (const [i, records] of events.entries()) {
      if (racing.includes(i)) raced.push(await Promise.all([first.detector.handle(mskEvent(records)), second.detector.handle(mskEvent(records))]));
      else await (i % 2 === 0 ? first : second).detector.handle(mskEvent(records));
    }

    // Assess: each racing event stored once, whichever won; the loser added nothing
    for (const [j, [a, b]] of raced.entries()) {
      expect(a.stored + b.stored).toBe(events[racing[j]!]!.length);
      expect(a.duplicates + b.duplicates).toBe(events[racing[j]!]!.length);
    }
    expect(await anomaliesOf(db)).toEqual(reference);
    // Both read the same revision before either wrote: the loser's compare-and-set failed, and it started again.
    const attempts = [first, second].flatMap((one) => one.logger.batchLines()).map((line) => (line.fields.streams as { attempts?: number }).attempts ?? 1);
    expect(attempts.filter((n) => n === 2).length).toBeGreaterThan(0);
    expect(Math.max(...attempts)).toBe(2);
  });

  it('gives the same anomalies when a batch arrives whose first half an earlier delivery stored, as when only its new half arrives', async () => {
    // Prepare: event k is first delivered cut short (its first half of each partition), then whole
    const k = 9;
    const firstHalf = halves(events[k]!).first;
    const secondHalf = halves(events[k]!).second;
    const withOverlap = [...events.slice(0, k), firstHalf, events[k]!, ...events.slice(k + 1)];
    const withoutOverlap = [...events.slice(0, k), firstHalf, secondHalf, ...events.slice(k + 1)];
    const [overlapDb, plainDb] = await Promise.all([newDatabase(), newDatabase()]);

    // Act
    const overlapSummaries = await deliver(withOverlap, [newContainer(overlapDb).detector]);
    await deliver(withoutOverlap, [newContainer(plainDb).detector]);

    // Assess
    expect(overlapSummaries[k + 1]).toMatchObject({ records: events[k]!.length, duplicates: firstHalf.length, stored: secondHalf.length });
    const overlapping = await anomaliesOf(overlapDb);
    expect(overlapping.length).toBeGreaterThan(0);
    expect(overlapping).toEqual(await anomaliesOf(plainDb));
  });

  it('a cold container mid-stream scores the next batches exactly as the warm one would have', async () => {
    // Prepare
    const db = await newDatabase();
    const warm = newContainer(db).detector;
    const k = Math.floor(events.length / 2);
    await deliver(events.slice(0, k), [warm]);
    const { detector: cold, logger } = newContainer(db);

    // Act
    await deliver(events.slice(k), [cold]);

    // Assess: the cold container read each stream's state from PostgreSQL once, then kept it
    expect(await anomaliesOf(db)).toEqual(reference);
    const reads = logger.batchLines().map((line) => (line.fields.streams as { read: number }).read);
    expect(reads.reduce((sum, n) => sum + n, 0)).toBe(new Set(events.slice(k).flatMap((records) => records.map((record) => record.partition))).size);
  });

  it('stores a batch unflagged and writes no stream state while there is no model', async () => {
    // Prepare
    const db = await newDatabase();
    const { detector } = newContainer(db, 'streams/none-yet/');

    // Act
    const summary = await detector.handle(mskEvent(events[0]!));

    // Assess
    expect(summary).toMatchObject({ records: events[0]!.length, stored: events[0]!.length, anomalies: 0, modelVersion: null });
    expect((await db.pool.query('SELECT count(*)::int AS n FROM detector_streams')).rows[0].n).toBe(0);
  });

  it('gives up after 3 transactions when another writer moves the stream every time: InfrastructureError, nothing stored, a redelivery stores it', async () => {
    // Prepare: a trigger moves every stream within the batch's own transaction, after its logs are inserted
    const db = await newDatabase();
    const { detector, logger } = newContainer(db);
    const partition0 = events.flatMap((records) => records.filter((record) => record.partition === 0));
    await detector.handle(mskEvent(partition0.slice(0, 40)));
    await db.pool.query(`CREATE FUNCTION move_streams() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE detector_streams SET revision = revision + 1; RETURN NULL; END $$`);
    await db.pool.query('CREATE TRIGGER move_streams AFTER INSERT ON logs FOR EACH STATEMENT EXECUTE FUNCTION move_streams()');

    // Act
    const error = await rejectionOf(detector.handle(mskEvent(partition0.slice(40, 80))));
    await db.pool.query('DROP TRIGGER move_streams ON logs');
    const redelivered = await detector.handle(mskEvent(partition0.slice(40, 80)));

    // Assess
    expect(error).toBeInstanceOf(InfrastructureError);
    expect(error.message).toMatch(/stream states kept moving under other writers \(3 attempts\); the batch will be redelivered/);
    expect(logger.lines.filter((line) => line.message.startsWith('another writer moved a stream'))).toHaveLength(2);
    expect(redelivered).toMatchObject({ records: 40, stored: 40, duplicates: 0 });
    const row = await db.pool.query('SELECT next_offset::int AS next, revision::int FROM detector_streams');
    expect(row.rows).toEqual([{ next: 80, revision: 1 }]);
  });
});

/** Per partition, how many records the stream holds (the next offset its state ends at). */
function seededStreamSizes(): number[] {
  const sizes = [0, 0, 0];
  for (const records of events) for (const record of records) sizes[record.partition] = Math.max(sizes[record.partition]!, Number(record.offset) + 1);
  return sizes;
}

/** The events' records again, cut into events of 1–3 records of one partition each (seeded), each partition in offset order. */
function tinyEvents(original: readonly KafkaRecordInput[][], seed: number): KafkaRecordInput[][] {
  const prng = new Prng(seed);
  const out: KafkaRecordInput[][] = [];
  for (const records of original) {
    let at = 0;
    const byPartition = [0, 1, 2].map((p) => records.filter((record) => record.partition === p));
    for (const run of byPartition) {
      for (at = 0; at < run.length; ) {
        const size = prng.between(1, 3);
        out.push(run.slice(at, at + size));
        at += size;
      }
    }
  }
  return out;
}

/** An event's records split in two: the first half of each partition's run, and the rest. */
function halves(records: readonly KafkaRecordInput[]): { first: KafkaRecordInput[]; second: KafkaRecordInput[] } {
  const first: KafkaRecordInput[] = [];
  const second: KafkaRecordInput[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const run = records.filter((record) => record.partition === p);
    const cut = Math.ceil(run.length / 2);
    first.push(...run.slice(0, cut));
    second.push(...run.slice(cut));
  }
  return { first, second };
}
