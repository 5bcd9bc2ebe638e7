import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { insertDeadLetters, listDeadLetters } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';
import { deadLetter } from './db-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.drop();
});

describe('insertDeadLetters / listDeadLetters', () => {
  it('records a bad record once per component, also when redelivered', async () => {
    // Prepare: the same metrics record refused by two components, then delivered again
    const letters = [
      deadLetter(3, { topic: 'metrics', component: 'metrics-aggregator', receivedAt: '2024-05-01T10:00:00Z' }),
      deadLetter(3, { topic: 'metrics', component: 'detector', receivedAt: '2024-05-01T11:00:00Z', rawKey: null, headers: undefined }),
    ];

    // Act
    const first = await insertDeadLetters(db.pool, letters);
    const again = await insertDeadLetters(db.pool, letters);
    const listed = await listDeadLetters(db.pool, { limit: 10 });
    const onlyAggregator = await listDeadLetters(db.pool, { limit: 10, component: 'metrics-aggregator' });

    // Assess
    expect(first).toEqual({ inserted: 2, alreadyPresent: 0 });
    expect(again).toEqual({ inserted: 0, alreadyPresent: 2 });
    expect(listed.map((letter) => letter.component)).toEqual(['detector', 'metrics-aggregator']);
    expect(listed[0]).toMatchObject({ topic: 'metrics', partition: 0, offset: 3, rawKey: null, headers: [], receivedAt: '2024-05-01T11:00:00.000Z' });
    expect(onlyAggregator).toHaveLength(1);
    expect(onlyAggregator[0]!.rawValue).toEqual(Buffer.from('{not json 3'));
  });

  it('stores empty and binary payloads exactly', async () => {
    // Prepare
    const binary = Uint8Array.from([0, 1, 2, 0xfe, 0xff, 0x5c, 0x22, 0x27]);

    // Act
    await insertDeadLetters(db.pool, [deadLetter(50, { rawKey: new Uint8Array(0), rawValue: binary, component: 'binary-test' })]);

    // Assess
    const [stored] = await listDeadLetters(db.pool, { limit: 1, component: 'binary-test' });
    expect(stored!.rawKey).toEqual(Buffer.alloc(0));
    expect(stored!.rawValue).toEqual(Buffer.from(binary));
  });

  it('refuses malformed letters and limits', async () => {
    // Act + Assess
    await expect(insertDeadLetters(db.pool, [deadLetter(1, { component: '' })])).rejects.toThrow(/deadLetters\[0\]\.component must not be empty/);
    await expect(insertDeadLetters(db.pool, [deadLetter(1, { reason: '' })])).rejects.toThrow(ValidationError);
    await expect(insertDeadLetters(db.pool, [deadLetter(1, { offset: 2 ** 53 })])).rejects.toThrow(/deadLetters\[0\]\.offset must be an integer/);
    await expect(listDeadLetters(db.pool, { limit: 0 })).rejects.toThrow(/limit must be an integer in \[1, 10000\]/);
    expect(await insertDeadLetters(db.pool, [])).toEqual({ inserted: 0, alreadyPresent: 0 });
  });
});
