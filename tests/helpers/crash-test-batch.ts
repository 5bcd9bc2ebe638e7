import { fixtureBatch, type FixtureBatch } from './record-batch-fixture.js';

/** Batch number `n` of the storage crash test: 1-5 records of 200 bytes, deterministic content. */
export function crashTestBatch(n: number): FixtureBatch {
  return fixtureBatch({ records: 1 + (n % 5), valueBytes: 200, timestamp: 1_700_000_000_000 + n, tag: `crash${n}` });
}
