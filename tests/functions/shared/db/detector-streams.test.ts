import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StreamConflictError, ValidationError } from '../../../../functions/shared/errors.js';
import {
  MAX_STREAM_KEY_LENGTH,
  MAX_STREAM_STATE_BYTES,
  StreamRow,
  readDetectorStreams,
  readStreamStatesOfModel,
  withTransaction,
  writeDetectorStreams,
  type StoredDetectorStream,
  type StreamWrite,
} from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE detector_streams');
});

function write(key: string, overrides: Partial<StreamWrite> = {}): StreamWrite {
  return { key, expectedRevision: null, modelVersion: 'v1', nextOffset: 10, state: { version: 1, records: 10, words: [['timeout', 2]] }, ...overrides };
}

/** Writes in one transaction of its own, as storeDetectorBatch does. */
function writeAll(writes: readonly StreamWrite[]): Promise<void> {
  return withTransaction(db.pool, (session) => writeDetectorStreams(session, writes));
}

/** The error a promise rejects with; fails the test when it resolves. */
async function failure(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    () => null,
    (error: unknown) => error as Error,
  );
  if (outcome === null) throw new Error('expected the call to fail');
  return outcome;
}

/** Resolves once a session of this database waits for a lock another transaction holds. */
async function waitForLockWaiter(): Promise<void> {
  for (;;) {
    const waiting = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (waiting.rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rows(): Promise<unknown[]> {
  const result = await db.pool.query('SELECT stream_key, model_version, next_offset, revision, state FROM detector_streams ORDER BY stream_key');
  return result.rows;
}

describe('detector_streams', () => {
  it('inserts a stream the writer read none of, at revision 0, and reads it back', async () => {
    // Act
    await writeAll([write('logs-0'), write('logs-1', { nextOffset: 0, state: null })]);
    const read = await readDetectorStreams(db.pool, ['logs-0', 'logs-1', 'logs-2']);

    // Assess
    expect(read).toEqual(
      new Map([
        ['logs-0', { unchanged: false, modelVersion: 'v1', nextOffset: 10, revision: 0, state: { version: 1, records: 10, words: [['timeout', 2]] }, stateBytes: expect.any(Number) }],
        ['logs-1', { unchanged: false, modelVersion: 'v1', nextOffset: 0, revision: 0, state: null, stateBytes: expect.any(Number) }],
      ]),
    );
    expect((read.get('logs-0') as StoredDetectorStream).stateBytes).toBeGreaterThan(0);
  });

  it('updates a stream whose revision is still the one read: new state, offset and model, revision + 1', async () => {
    // Prepare
    await writeAll([write('logs-3')]);
    const before = await db.pool.query('SELECT updated_at FROM detector_streams');

    // Act
    await writeAll([write('logs-3', { expectedRevision: 0, modelVersion: 'v2', nextOffset: 2 ** 40, state: { records: 11 } })]);
    await writeAll([write('logs-3', { expectedRevision: 1, nextOffset: 2 ** 40 + 5, state: { records: 12 } })]);

    // Assess
    expect(await rows()).toEqual([{ stream_key: 'logs-3', model_version: 'v1', next_offset: String(2 ** 40 + 5), revision: '2', state: { records: 12 } }]);
    const after = await db.pool.query('SELECT updated_at FROM detector_streams');
    expect(after.rows[0].updated_at.getTime()).toBeGreaterThanOrEqual(before.rows[0].updated_at.getTime());
    expect((await readDetectorStreams(db.pool, ['logs-3'])).get('logs-3')).toMatchObject({ nextOffset: 2 ** 40 + 5, revision: 2 });
  });

  it('refuses a stale revision with StreamConflictError and writes nothing of the transaction', async () => {
    // Prepare: logs-0 moved to revision 1 after the writer read revision 0
    await writeAll([write('logs-0'), write('logs-1')]);
    await writeAll([write('logs-0', { expectedRevision: 0, state: { moved: true } })]);
    const before = await rows();

    // Act: logs-1 is current, logs-0 is stale; and a row the writer believes absent exists
    const stale = await failure(writeAll([write('logs-1', { expectedRevision: 0, state: { lost: true } }), write('logs-0', { expectedRevision: 0, state: { lost: true } })]));
    const absent = await failure(writeAll([write('logs-1', { expectedRevision: null, state: { lost: true } })]));

    // Assess
    expect(stale).toBeInstanceOf(StreamConflictError);
    expect(stale.message).toMatch(/detector stream "logs-0" was written by another transaction since it was read \(revision 0\)/);
    expect(absent).toBeInstanceOf(StreamConflictError);
    expect(absent.message).toMatch(/"logs-1" .* \(no row\)/);
    expect(await rows()).toEqual(before);
  });

  it('lets exactly one of two concurrent writers of the same revision win; the other waits, then conflicts', async () => {
    // Prepare
    await writeAll([write('logs-5')]);
    const first = await db.pool.connect();
    try {
      await first.query('BEGIN');
      await writeDetectorStreams(first, [write('logs-5', { expectedRevision: 0, state: { by: 'first' } })]);

      // Act: the second writer read revision 0 too; it blocks on the first's row lock until that commits
      const second = writeAll([write('logs-5', { expectedRevision: 0, state: { by: 'second' } })]);
      await waitForLockWaiter();
      await first.query('COMMIT');

      // Assess
      await expect(second).rejects.toThrow(StreamConflictError);
      expect(await rows()).toEqual([expect.objectContaining({ revision: '1', state: { by: 'first' } })]);
    } finally {
      first.release();
    }
  });

  it('takes keys only as parameters: quotes, semicolons and SQL round-trip as plain text', async () => {
    // Prepare
    const keys = [`logs'; DROP TABLE detector_streams; --"-7`, 'a\\b$1-0', 'tópico 📈-2', `x'||pg_sleep(1)||'-1`];

    // Act
    await writeAll(keys.map((key) => write(key)));
    const read = await readDetectorStreams(db.pool, keys);

    // Assess
    expect([...read.keys()].sort()).toEqual([...keys].sort());
    expect(((await rows()) as Array<{ stream_key: string }>).map((row) => row.stream_key).sort()).toEqual([...keys].sort());
  });

  it('refuses hostile keys with a clear ValidationError, writing and reading nothing', async () => {
    // Prepare
    const cases: Array<[unknown, RegExp]> = [
      ['', /streams\[0\]\.key must not be empty/],
      ['x'.repeat(MAX_STREAM_KEY_LENGTH + 1), new RegExp(`streams\\[0\\]\\.key is longer than ${MAX_STREAM_KEY_LENGTH} characters`)],
      ['logs\u0000-1', /streams\[0\]\.key holds a NUL or a lone UTF-16 surrogate, which PostgreSQL text cannot store: "logs\\u0000-1"/],
      ['logs\uD800-1', /streams\[0\]\.key holds a NUL or a lone UTF-16 surrogate/],
      [42, /streams\[0\]\.key must be a string \(got number\)/],
    ];

    for (const [key, message] of cases) {
      // Act
      const outcome = await failure(writeAll([write(key as string)]));
      const read = await failure(readDetectorStreams(db.pool, [key as string]));

      // Assess
      expect(outcome).toBeInstanceOf(ValidationError);
      expect(outcome.message).toMatch(message);
      expect(read).toBeInstanceOf(ValidationError);
    }
    expect(await rows()).toEqual([]);
    expect(() => new StreamRow(write('x'.repeat(MAX_STREAM_KEY_LENGTH)), 'w')).not.toThrow();
  });

  it('refuses a state over the size limit, or not JSON, or a write that names its stream twice', async () => {
    // Prepare: random-looking text, so neither JSON nor TOAST compression makes it small
    const big = Array.from({ length: MAX_STREAM_STATE_BYTES / 32 + 1 }, (_, i) => `${(i * 2654435761) >>> 0}`.padStart(30, 'z'));

    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    // Act
    const oversized = await failure(writeAll([write('logs-0', { state: { words: big } })]));
    const notJson = await failure(writeAll([write('logs-0', { state: cyclic })]));
    const undefinedState = await failure(writeAll([write('logs-0', { state: undefined })]));
    const twice = await failure(writeAll([write('logs-0'), write('logs-0')]));

    // Assess
    expect(oversized).toBeInstanceOf(ValidationError);
    expect(oversized.message).toMatch(new RegExp(`streams\\[0\\]\\.state of stream "logs-0" is \\d+ bytes of JSON, over the ${MAX_STREAM_STATE_BYTES}-byte limit`));
    expect(notJson.message).toMatch(/streams\[0\]\.state is not representable as JSON/);
    expect(undefinedState.message).toMatch(/streams\[0\]\.state must be JSON \(got undefined\)/);
    expect(twice.message).toMatch(/stream "logs-0" is written twice in one batch/);
    expect([oversized, notJson, undefinedState, twice].every((error) => error instanceof ValidationError)).toBe(true);
    expect(await rows()).toEqual([]);
  });

  it('backs the size limit with a CHECK in PostgreSQL itself', async () => {
    // Prepare
    const big = JSON.stringify({ words: Array.from({ length: 300_000 }, (_, i) => `${(i * 2654435761) >>> 0}-${i}`) });

    // Act
    const outcome = db.pool.query(`INSERT INTO detector_streams (stream_key, model_version, next_offset, revision, state) VALUES ('logs-0', 'v1', 0, 0, $1::jsonb)`, [big]);

    // Assess
    await expect(outcome).rejects.toThrow(/detector_streams_state_check/);
  });

  it('stores text jsonb cannot hold as U+FFFD, and StreamRow.stateText is exactly what a later read returns', async () => {
    // Prepare
    const state = { words: [['nul\u0000word', 1], ['lone\uD800', 2]], 'key\u0000': 3, n: [0.1, 1e21, 1e-7, -5] };
    const row = new StreamRow(write('logs-9', { state }), 'w');

    // Act
    await writeAll([row]);
    const read = await readDetectorStreams(db.pool, ['logs-9']);

    // Assess
    expect((read.get('logs-9') as StoredDetectorStream).state).toEqual(JSON.parse(row.stateText));
    expect((read.get('logs-9') as StoredDetectorStream).state).toEqual({ words: [['nul\uFFFDword', 1], ['lone\uFFFD', 2]], 'key\uFFFD': 3, n: [0.1, 1e21, 1e-7, -5] });
  });

  it('sends only the revision of a row still at the revision the reader holds, and the whole row otherwise', async () => {
    // Prepare: logs-0 at revision 1, logs-1 at revision 0
    await writeAll([write('logs-0'), write('logs-1')]);
    await writeAll([write('logs-0', { expectedRevision: 0, state: { moved: true } })]);

    // Act: the reader holds revision 0 of both, and of logs-2, which has no row
    const read = await readDetectorStreams(db.pool, ['logs-0', 'logs-1', 'logs-2'], new Map([['logs-0', 0], ['logs-1', 0], ['logs-2', 0]]));

    // Assess
    expect(read).toEqual(
      new Map<string, unknown>([
        ['logs-0', { unchanged: false, modelVersion: 'v1', nextOffset: 10, revision: 1, state: { moved: true }, stateBytes: expect.any(Number) }],
        ['logs-1', { unchanged: true, revision: 0 }],
      ]),
    );
  });

  it('reads nothing for no keys and each key once', async () => {
    // Prepare
    await writeAll([write('logs-0')]);

    // Act
    const none = await readDetectorStreams(db.pool, []);
    const repeated = await readDetectorStreams(db.pool, ['logs-0', 'logs-0']);

    // Assess
    expect(none.size).toBe(0);
    expect([...repeated.keys()]).toEqual(['logs-0']);
  });

  it('gives a training the states of the streams learned against the model it replaces, and only those', async () => {
    // Prepare
    await writeAll([write('logs-0', { state: { n: 0 } }), write('logs-1', { state: { n: 1 } }), write('logs-2', { modelVersion: 'v0', state: { n: 2 } })]);

    // Act
    const states = await readStreamStatesOfModel(db.pool, 'v1');

    // Assess
    expect(states).toHaveLength(2);
    expect(states).toEqual(expect.arrayContaining([{ n: 0 }, { n: 1 }]));
    expect(await readStreamStatesOfModel(db.pool, "v1' OR '1'='1")).toEqual([]);
    await expect(readStreamStatesOfModel(db.pool, '')).rejects.toThrow(ValidationError);
    await expect(readStreamStatesOfModel(db.pool, 'v'.repeat(201))).rejects.toThrow(ValidationError);
    await expect(readStreamStatesOfModel(db.pool, 'v1', 0)).rejects.toThrow(ValidationError);
  });
});
