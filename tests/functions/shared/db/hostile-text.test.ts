import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExperiment,
  getExperiment,
  listDeadLetters,
  NUL_REPLACEMENT,
  recentLogsForTraining,
  storeDetectorBatch,
} from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { anomalyFor, deadLetter, newLog } from './db-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

const HOSTILE = [
  `'; DROP TABLE logs; --`,
  `Robert'); DELETE FROM anomalies WHERE ('1'='1`,
  `" OR ""="`,
  `\\'; SELECT pg_sleep(10); --`,
  `$1 $2 $$ dollar $$ quoting`,
  `{"json": "inside"} , {NULL} "array" \\x00`,
  `emoji 🐘 and RTL \u202e text and CJK 日本語`,
  `lone surrogate \ud800 here`,
];

describe('attacker-controlled text', () => {
  it('is stored verbatim through parameters, never executed', async () => {
    // Prepare
    const logs = HOSTILE.map((text, i) =>
      newLog(i, { message: text, service: text, host: text, traceId: text, logId: text, label: text }),
    );

    // Act
    const result = await storeDetectorBatch(db.pool, {
      logs,
      anomalies: logs.map((log) => anomalyFor(log, { modelVersion: log.message, contributions: { [log.message]: log.message } })),
      deadLetters: [],
    });

    // Assess
    expect(result.logs.inserted).toBe(HOSTILE.length);
    const tables = await db.pool.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('logs', 'anomalies')`);
    expect(tables.rows[0].n).toBe(2);
    const stored = await recentLogsForTraining(db.pool, 100);
    const expected = HOSTILE.map((text) => text.replace('\ud800', '\ufffd')); // UTF-8 cannot carry a lone surrogate
    expect(stored.map((log) => log.message)).toEqual(expected);
    expect(stored.map((log) => log.service)).toEqual(expected);
    const anomalies = await db.pool.query('SELECT a.model_version, a.contributions FROM anomalies a JOIN logs l ON l.id = a.log_pk ORDER BY l.ts');
    expect(anomalies.rows.map((row) => row.model_version)).toEqual(expected);
    expect(anomalies.rows.map((row) => Object.keys(row.contributions)[0])).toEqual(expected);
  });

  it('has NUL characters replaced by U+FFFD in text and JSON instead of failing the batch', async () => {
    // Prepare: PostgreSQL text and jsonb cannot hold U+0000
    const log = newLog(1_000, { message: 'before\u0000after', host: '\u0000', service: 'svc\u0000' });
    const anomaly = anomalyFor(log, {
      features: { 'key\u0000name': 1 },
      contributions: [{ feature: 'x\u0000y', note: '\u0000\u0000' }],
    });
    const letter = deadLetter(1_001, {
      rawValue: Buffer.from([0x7b, 0x00, 0xff, 0x00, 0x7d]),
      headers: [{ key: 'h\u0000', value: 'v\u0000' }],
      reason: 'NUL\u0000in reason',
    });

    // Act
    const first = await storeDetectorBatch(db.pool, { logs: [log], anomalies: [anomaly], deadLetters: [letter] });
    const redelivered = await storeDetectorBatch(db.pool, { logs: [log], anomalies: [anomaly], deadLetters: [letter] });

    // Assess
    expect(first.logs.inserted).toBe(1);
    expect(redelivered.logs).toEqual({ inserted: 0, alreadyPresent: 1 });
    const stored = await db.pool.query(
      `SELECT l.message, l.host, l.service, a.features, a.contributions FROM logs l JOIN anomalies a ON a.log_pk = l.id WHERE l.kafka_offset = 1000`,
    );
    expect(stored.rows).toEqual([
      {
        message: `before${NUL_REPLACEMENT}after`,
        host: NUL_REPLACEMENT,
        service: `svc${NUL_REPLACEMENT}`,
        features: { [`key${NUL_REPLACEMENT}name`]: 1 },
        contributions: [{ feature: `x${NUL_REPLACEMENT}y`, note: NUL_REPLACEMENT.repeat(2) }],
      },
    ]);
    const [storedLetter] = await listDeadLetters(db.pool, { limit: 1 });
    expect(storedLetter!.rawValue).toEqual(Buffer.from([0x7b, 0x00, 0xff, 0x00, 0x7d])); // bytea keeps every byte
    expect(storedLetter!.headers).toEqual([{ key: `h${NUL_REPLACEMENT}`, value: `v${NUL_REPLACEMENT}` }]);
    expect(storedLetter!.reason).toBe(`NUL${NUL_REPLACEMENT}in reason`);
  });

  it('keeps a JSON string that merely looks like an escaped NUL unchanged', async () => {
    // Prepare: a backslash followed by "u0000" is ordinary text, not a NUL
    const text = 'literal \\u0000 sequence';

    // Act
    await createExperiment(db.pool, { id: 'exp-literal', name: text, producers: 1, consumers: 1, partitions: 1, settings: { text } });

    // Assess
    const experiment = await getExperiment(db.pool, 'exp-literal');
    expect(experiment?.name).toBe(text);
    expect(experiment?.settings).toEqual({ text });
  });

  it('stores a very long message and a long dead-letter reason (cut to the documented length)', async () => {
    // Prepare
    const message = 'x'.repeat(1_000_000);

    // Act
    await storeDetectorBatch(db.pool, {
      logs: [newLog(2_000, { message })],
      anomalies: [],
      deadLetters: [deadLetter(2_001, { reason: 'r'.repeat(10_000) })],
    });

    // Assess
    const stored = await db.pool.query('SELECT length(message) AS n FROM logs WHERE kafka_offset = 2000');
    expect(stored.rows[0].n).toBe(1_000_000);
    const letter = await db.pool.query('SELECT length(reason) AS n FROM dead_letters WHERE kafka_offset = 2001');
    expect(letter.rows[0].n).toBe(4_000);
  });

  it('keeps awkward text verbatim in every text column of logs, anomalies and dead letters (binary array parameters)', async () => {
    // Prepare: what array literals would have to escape, NULL-looking strings, empty strings, unicode, long text
    const awkward = [
      '"quoted"', 'back\\slash\\', '{braces}', 'a,b,c', 'NULL', 'null', '', ' ', '{"a": [1, "b"]}', '\\"{,}"\\',
      'emoji 🐘 RTL \u202e 日本語', 'y'.repeat(100_000),
    ];
    const logs = awkward.map((text, i) =>
      newLog(3_000 + i, { logId: text, service: text || 'svc', level: text || 'INFO', message: text, host: text, traceId: text, experimentId: text, producerId: text, label: text, topic: `topic ${text.slice(0, 40)}`.trim() }),
    );
    const anomalies = logs.map((log) => anomalyFor(log, { modelVersion: log.message || 'v', experimentId: log.message, contributions: [log.message] }));
    // Reasons stay under MAX_REASON_LENGTH (longer ones are cut, tested above).
    const reasonOf = (text: string): string => (text || 'r').slice(0, 3_000);
    const letters = awkward.map((text, i) => deadLetter(4_000 + i, { reason: reasonOf(text), component: `component ${i}`, headers: [{ key: text, value: text }] }));

    // Act
    const result = await storeDetectorBatch(db.pool, { logs, anomalies, deadLetters: letters });

    // Assess
    expect(result.logs.inserted).toBe(awkward.length);
    expect(result.anomalies.inserted).toBe(awkward.length);
    expect(result.deadLetters.inserted).toBe(awkward.length);
    const stored = await db.pool.query(
      `SELECT l.log_id, l.service, l.level, l.message, l.host, l.trace_id, l.experiment_id, l.producer_id, l.label, l.topic,
              a.model_version, a.experiment_id AS anomaly_experiment, a.contributions
       FROM logs l JOIN anomalies a ON a.log_pk = l.id WHERE l.kafka_offset BETWEEN 3000 AND 3999 ORDER BY l.kafka_offset`,
    );
    expect(stored.rows).toEqual(
      logs.map((log) => ({
        log_id: log.logId, service: log.service, level: log.level, message: log.message, host: log.host, trace_id: log.traceId,
        experiment_id: log.experimentId, producer_id: log.producerId, label: log.label, topic: log.topic,
        model_version: log.message || 'v', anomaly_experiment: log.message, contributions: [log.message],
      })),
    );
    const storedLetters = await db.pool.query('SELECT reason, headers FROM dead_letters WHERE kafka_offset BETWEEN 4000 AND 4999 ORDER BY kafka_offset');
    expect(storedLetters.rows).toEqual(awkward.map((text) => ({ reason: reasonOf(text), headers: [{ key: text, value: text }] })));
  });

  it('stores SQL NULL for absent optional fields and the string "NULL" as a string', async () => {
    // Prepare
    const absent = newLog(5_000, { host: null, traceId: null, experimentId: null, producerId: null, label: null, producedAt: null });
    const literal = newLog(5_001, { host: 'NULL', traceId: 'NULL', experimentId: 'NULL', producerId: 'NULL', label: 'NULL' });

    // Act
    await storeDetectorBatch(db.pool, { logs: [absent, literal], anomalies: [], deadLetters: [] });

    // Assess
    const stored = await db.pool.query(
      `SELECT host IS NULL AS host, trace_id IS NULL AS trace, experiment_id IS NULL AS experiment, producer_id IS NULL AS producer,
              label IS NULL AS label, produced_at IS NULL AS produced FROM logs WHERE kafka_offset IN (5000, 5001) ORDER BY kafka_offset`,
    );
    expect(stored.rows).toEqual([
      { host: true, trace: true, experiment: true, producer: true, label: true, produced: true },
      { host: false, trace: false, experiment: false, producer: false, label: false, produced: false },
    ]);
  });
});
