/**
 * The chaos run's verdict comes from these counts: they are checked here on a real PostgreSQL
 * holding known rows, so a run that says "lost 0, duplicated 0" is known to be able to say otherwise.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { censusOfStored, storedCopies } from '../../../infra/chaos/verification.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

let db: TestDatabase;
let nextOffset = 0;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.pool.query('TRUNCATE logs, anomalies, dead_letters RESTART IDENTITY CASCADE');
  nextOffset = 0;
});

/** One row in `logs` per id, each at new Kafka coordinates. */
async function storeRows(ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const offset = nextOffset++;
    await db.pool.query(
      `INSERT INTO logs (log_id, ts, service, level, message, topic, partition, kafka_offset) VALUES ($1, now(), 'auth', 'INFO', 'ok', 'logs', $2, $3)`,
      [id, offset % 3, offset],
    );
  }
}

async function deadLetter(id: string, reason: string): Promise<void> {
  const offset = nextOffset++;
  await db.pool.query(
    `INSERT INTO dead_letters (topic, partition, kafka_offset, raw_value, reason, component) VALUES ('logs', 0, $1, $2, $3, 'detector')`,
    [offset, Buffer.from(JSON.stringify({ id, ts: '2026-01-01T00:00:00.000Z', service: 'auth' })), reason],
  );
}

const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `chaos-${from + i}`);

describe('chaos verification: the census of `logs`', () => {
  it('finds nothing wrong when each produced id has exactly one row', async () => {
    // Prepare
    await storeRows(ids(0, 50));

    // Act
    const census = await censusOfStored(db.pool, 50);

    // Assess
    expect(census).toMatchObject({ stored: 50, storedIds: 50, lost: 0, duplicated: 0, extraRows: 0, unexpected: 0, deadLetters: {}, lostExamples: [], duplicatedExamples: [] });
  });

  it('counts lost ids (with examples, smallest first) and finds those kept in dead_letters, by reason', async () => {
    // Prepare: 0..19 produced; 3, 7 and 15 never stored, 7 dead-lettered as a reused offset
    await storeRows(ids(0, 20).filter((id) => !['chaos-3', 'chaos-7', 'chaos-15'].includes(id)));
    await deadLetter('chaos-7', 'offset reused');

    // Act
    const census = await censusOfStored(db.pool, 20);

    // Assess
    expect(census.lost).toBe(3);
    expect(census.lostExamples).toEqual(['chaos-3', 'chaos-7', 'chaos-15']);
    expect(census.deadLetters).toEqual({ 'offset reused': 1 });
    expect(census.lostDeadLettered).toEqual({ 'offset reused': 1 });
    expect(census.duplicated).toBe(0);
  });

  it('counts an id stored in two or three rows as one duplicated record, and shows where each copy is', async () => {
    // Prepare
    await storeRows([...ids(0, 10), 'chaos-4', 'chaos-9', 'chaos-9']);

    // Act
    const census = await censusOfStored(db.pool, 10);

    // Assess
    expect(census).toMatchObject({ stored: 13, storedIds: 10, lost: 0, duplicated: 2, extraRows: 3, unexpected: 0 });
    expect(census.duplicatedExamples.map((example) => [example.id, example.rows.length])).toEqual([['chaos-4', 2], ['chaos-9', 3]]);
    expect(census.duplicatedExamples[0]!.rows).toEqual(['1:4', '1:10']);
  });

  it('counts rows whose id was never produced as unexpected, not as stored records', async () => {
    // Prepare: produced 0..4; a row from beyond the range and one of another shape
    await storeRows([...ids(0, 5), 'chaos-5', 'someone-else', 'chaos-x']);

    // Act
    const census = await censusOfStored(db.pool, 5);

    // Assess
    expect(census).toMatchObject({ stored: 8, storedIds: 5, lost: 0, duplicated: 0, unexpected: 3 });
  });

  it('reads back how many rows each produced id has', async () => {
    // Prepare
    await storeRows(['chaos-0', 'chaos-2', 'chaos-2', 'chaos-9', 'other']);

    // Act
    const copies = await storedCopies(db.pool, 4);

    // Assess
    expect([...copies]).toEqual([1, 0, 2, 0]);
  });
});
