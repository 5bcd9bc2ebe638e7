import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../../../infra/local-msk/logger.js';
import { parseStorageFaults } from '../../../../../infra/local-msk/storage/file/fault-injection.js';
import { openFileStorage } from '../../../../../infra/local-msk/storage/file/file-storage.js';
import type { Storage } from '../../../../../infra/local-msk/storage/storage.js';
import { StorageWriteError } from '../../../../../infra/local-msk/storage/storage-write-error.js';
import { baseOffsetOf, fixtureBatch, sameBatchContent, type FixtureBatch } from '../../../../helpers/record-batch-fixture.js';

/**
 * A write that fails (disk full, injected with the test-only fault hook on real files) must
 * leave no phantom records: the append rejects with StorageWriteError, nothing of it is ever
 * read, the file is cut back to its durable size, and the partition takes later appends at the
 * offsets the failed batches had.
 */
describe('FileStorage after a failed write', () => {
  let dataDir: string;
  let storage: Storage | null = null;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'local-msk-write-failure-'));
  });

  afterEach(async () => {
    await storage?.close();
    storage = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  const open = async (segmentBytes: number, faults = '') => {
    const logger = createMemoryLogger();
    storage = await openFileStorage(dataDir, { segmentBytes, logger, faults: parseStorageFaults(faults) });
    return { storage, logger, log: await storage.openPartition('faulty', 0) };
  };
  const reopen = async (segmentBytes: number) => {
    await storage!.close();
    return open(segmentBytes);
  };
  const segmentFiles = async () => (await readdir(path.join(dataDir, 'logs', 'faulty-0'))).filter((name) => name.endsWith('.log')).sort();
  const bytesOnDisk = async () => {
    let total = 0;
    for (const name of await segmentFiles()) total += (await stat(path.join(dataDir, 'logs', 'faulty-0', name))).size;
    return total;
  };
  const batch = (tag: string, records = 1): FixtureBatch => fixtureBatch({ records, valueBytes: 200, tag });

  it('refuses the batch, serves nothing of it, cuts it from the file and reuses its offsets', async () => {
    // Prepare: the disk "fills" 40 bytes into the second batch
    const [a, b, c] = [batch('a'), batch('b', 3), batch('c', 2)];
    const { log, logger } = await open(64 * 1024, `faulty-0=fail@${a.bytes.length + 40}`);
    await log.append(a.bytes, a.info, 'fsync');

    // Act
    const failed = await log.append(b.bytes, b.info, 'fsync').catch((error: unknown) => error);
    const endAfterFailure = log.logEndOffset;
    const servedAfterFailure = await log.read(0, Number.MAX_SAFE_INTEGER);
    const sizeAfterFailure = await bytesOnDisk();
    const offsetOfC = await log.append(c.bytes, c.info, 'fsync');

    // Assess
    expect(failed).toBeInstanceOf(StorageWriteError);
    expect(endAfterFailure).toBe(1);
    expect(servedAfterFailure.map(baseOffsetOf)).toEqual([0]);
    expect(sizeAfterFailure).toBe(a.bytes.length);
    expect(offsetOfC).toBe(1);
    expect(logger.lines.some((line) => line.level === 'error' && /write failed/.test(line.message))).toBe(true);

    // Assess: after a reopen the log holds exactly a and c, with nothing to repair
    const reopened = await reopen(64 * 1024);
    const stored = await reopened.log.read(0, Number.MAX_SAFE_INTEGER);
    expect(stored.map(baseOffsetOf)).toEqual([0, 1]);
    expect(sameBatchContent(stored[0]!, a.bytes) && sameBatchContent(stored[1]!, c.bytes)).toBe(true);
    expect(reopened.logger.lines.filter((line) => line.level !== 'info')).toEqual([]);
  });

  it('refuses every batch queued with or behind the failed one, including acks=0 ones, and serves none of them', async () => {
    // Prepare: a is stored; the next write fails at once
    const a = batch('a');
    const { log } = await open(64 * 1024, `faulty-0=fail@${a.bytes.length}`);
    await log.append(a.bytes, a.info, 'fsync');
    const queued = Array.from({ length: 6 }, (_, i) => batch(`q${i}`, 1 + (i % 3)));

    // Act: appended together, so whichever write carries the first of them fails with all queued
    const outcomes = queued.map((item, i) => log.append(item.bytes, item.info, i === 5 ? 'memory' : 'write').then(() => 'stored', (error: unknown) => error));
    const results = await Promise.all(outcomes);
    const served = await log.read(0, Number.MAX_SAFE_INTEGER);

    // Assess: acks=0 resolved at once, but its data was refused with the rest
    expect(results.slice(0, 5).every((result) => result instanceof StorageWriteError)).toBe(true);
    expect(results[5]).toBe('stored');
    expect(served.map(baseOffsetOf)).toEqual([0]);
    expect(log.logEndOffset).toBe(1);
    expect(log.highWatermark).toBe(1);
    expect(await bytesOnDisk()).toBe(a.bytes.length);
  });

  it('recovers when the write that failed was the first of a new segment', async () => {
    // Prepare: every batch gets its own segment; the second segment's first write fails half-way
    const [a, b, c] = [batch('a'), batch('b'), batch('c')];
    const { log } = await open(1, `faulty-0=fail@${a.bytes.length + 30}`);
    await log.append(a.bytes, a.info, 'fsync');

    // Act
    const failed = await log.append(b.bytes, b.info, 'fsync').catch((error: unknown) => error);
    const offsetOfC = await log.append(c.bytes, c.info, 'fsync');
    const reopened = await reopen(1);
    const stored = await reopened.log.read(0, Number.MAX_SAFE_INTEGER);

    // Assess
    expect(failed).toBeInstanceOf(StorageWriteError);
    expect(offsetOfC).toBe(1);
    expect(stored.map(baseOffsetOf)).toEqual([0, 1]);
    expect(sameBatchContent(stored[1]!, c.bytes)).toBe(true);
    expect(await segmentFiles()).toHaveLength(2);
    expect(await bytesOnDisk()).toBe(a.bytes.length + c.bytes.length);
    expect(reopened.logger.lines.filter((line) => line.level !== 'info')).toEqual([]);
  });
});
