import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { advisoryLockKey, createPool, withAdvisoryLock } from '../../../../functions/shared/db/index.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

let db: TestDatabase;
let poolA: pg.Pool;
let poolB: pg.Pool;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  // Two pools stand for two detector invocations (two Lambda instances).
  poolA = createPool({ connectionString: db.connectionString });
  poolB = createPool({ connectionString: db.connectionString });
});
afterAll(async () => {
  await Promise.all([poolA.end(), poolB.end()]);
  await db.drop();
});

/** A promise and its resolve function, to hold a lock open until the test says so. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('withAdvisoryLock', () => {
  it('lets only one holder in at a time, across pools, without waiting', async () => {
    // Prepare: A takes the lock and holds it until released
    const release = gate();
    const entered = gate();
    const holderA = withAdvisoryLock(poolA, 'train-model', async () => {
      entered.open();
      await release.opened;
      return 'trained by A';
    });
    await entered.opened;

    // Act
    const whileHeld = await withAdvisoryLock(poolB, 'train-model', async () => 'trained by B');
    release.open();
    const resultA = await holderA;
    const afterRelease = await withAdvisoryLock(poolB, 'train-model', async () => 'trained by B');

    // Assess
    expect(whileHeld).toEqual({ acquired: false });
    expect(resultA).toEqual({ acquired: true, value: 'trained by A' });
    expect(afterRelease).toEqual({ acquired: true, value: 'trained by B' });
  });

  it('does not let the same pool enter twice concurrently', async () => {
    // Prepare
    const release = gate();
    const entered = gate();
    const first = withAdvisoryLock(poolA, 'same-pool', async () => {
      entered.open();
      await release.opened;
      return 1;
    });
    await entered.opened;

    // Act
    const second = await withAdvisoryLock(poolA, 'same-pool', async () => 2);
    release.open();

    // Assess
    expect(second).toEqual({ acquired: false });
    expect(await first).toEqual({ acquired: true, value: 1 });
  });

  it('keeps different lock names independent', async () => {
    // Act
    const nested = await withAdvisoryLock(poolA, 'lock-one', () => withAdvisoryLock(poolB, 'lock-two', async () => 'both'));

    // Assess
    expect(nested).toEqual({ acquired: true, value: { acquired: true, value: 'both' } });
  });

  it('releases the lock when fn throws, and passes the error through unchanged', async () => {
    // Prepare
    const failure = new Error('training failed');

    // Act
    const outcome = withAdvisoryLock(poolA, 'throws', async () => {
      throw failure;
    });
    await expect(outcome).rejects.toBe(failure);
    const next = await withAdvisoryLock(poolB, 'throws', async () => 'ok');

    // Assess
    expect(next).toEqual({ acquired: true, value: 'ok' });
    const held = await db.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(held.rows[0].n).toBe(0);
  });

  it('derives a stable signed 64-bit key from the name and refuses bad names', async () => {
    // Act
    const key = advisoryLockKey('train-model');

    // Assess
    expect(key).toBe(advisoryLockKey('train-model'));
    expect(key).not.toBe(advisoryLockKey('train-model-2'));
    expect(BigInt(key) >= -(2n ** 63n) && BigInt(key) < 2n ** 63n).toBe(true);
    expect(() => advisoryLockKey('')).toThrow(ValidationError);
    expect(() => advisoryLockKey('x'.repeat(201))).toThrow(/lock name must be a string of 1..200 characters/);
    await expect(withAdvisoryLock(poolA, '', async () => 1)).rejects.toThrow(ValidationError);
  });
});
