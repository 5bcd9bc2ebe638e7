import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger, type LoggedLine } from '../../../../../infra/local-msk/logger.js';
import { openFileStorage } from '../../../../../infra/local-msk/storage/file/file-storage.js';
import type { PartitionLog, Storage } from '../../../../../infra/local-msk/storage/storage.js';
import { baseOffsetOf, fixtureBatch, lastOffsetOf, sameBatchContent, type FixtureBatch } from '../../../../helpers/record-batch-fixture.js';

/** File-only behaviour: persistence across reopen, recovery from torn tails and broken indexes. */
describe('FileStorage on disk', () => {
  let dataDir: string;
  let storage: Storage | null = null;
  let logLines: LoggedLine[];
  const partitionDir = () => path.join(dataDir, 'logs', 'orders-0');
  const t0 = 1_700_000_000_000;

  async function open(segmentBytes = 16 * 1024): Promise<Storage> {
    const logger = createMemoryLogger();
    logLines = logger.lines;
    storage = await openFileStorage(dataDir, { segmentBytes, logger });
    return storage;
  }

  async function reopen(segmentBytes = 16 * 1024): Promise<Storage> {
    await storage?.close();
    return open(segmentBytes);
  }

  function batches(count: number, tag = 'b'): FixtureBatch[] {
    return Array.from({ length: count }, (_, i) => fixtureBatch({ records: 1 + (i % 4), valueBytes: 250, timestamp: t0 + i * 1000, tag: `${tag}${i}` }));
  }

  async function appendAll(log: PartitionLog, items: FixtureBatch[]): Promise<number[]> {
    return Promise.all(items.map((item) => log.append(item.bytes, item.info, 'write')));
  }

  async function segmentFiles(extension: string): Promise<string[]> {
    return (await readdir(partitionDir())).filter((name) => name.endsWith(extension)).sort().map((name) => path.join(partitionDir(), name));
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'local-msk-file-storage-'));
  });

  afterEach(async () => {
    await storage?.close();
    storage = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lays out segments named by base offset with sparse indexes', async () => {
    // Prepare
    const log = await (await open()).openPartition('orders', 0);
    const offsets = await appendAll(log, batches(100));

    // Act
    await storage!.close();
    storage = null;
    const logs = await segmentFiles('.log');
    const indexes = await segmentFiles('.index');

    // Assess
    expect(logs.length).toBeGreaterThan(3);
    expect(path.basename(logs[0]!)).toBe('00000000000000000000.log');
    expect(logs.map((file) => Number(path.basename(file, '.log'))).every((base) => offsets.includes(base))).toBe(true);
    expect(indexes).toHaveLength(logs.length);
    // Each 16 KiB segment of ~0.5-1.3 KiB batches gets an index entry about every 4 KiB.
    const entries = (await stat(indexes[0]!)).size / 8;
    expect(entries).toBeGreaterThanOrEqual(2);
    expect(entries).toBeLessThanOrEqual(4);
    const index = await readFile(indexes[0]!);
    const segment = await readFile(logs[0]!);
    for (let i = 0; i < entries; i++) {
      const relativeOffset = index.readUInt32BE(i * 8);
      const position = index.readUInt32BE(i * 8 + 4);
      expect(Number(segment.readBigInt64BE(position))).toBe(relativeOffset);
    }
    expect((await stat(path.join(partitionDir(), '00000000000000000000.timeindex'))).size % 12).toBe(0);
  });

  it('keeps batches, retention watermark, topics, offsets and producer ids across a reopen', async () => {
    // Prepare
    let store = await open();
    const items = batches(80);
    let log = await store.openPartition('orders', 0);
    await appendAll(log, items);
    await log.enforceRetention({ retentionMs: -1, retentionBytes: 30 * 1024 }, t0);
    const start = log.logStartOffset;
    const end = log.logEndOffset;
    const before = await log.read(start, Number.MAX_SAFE_INTEGER);
    await store.saveTopic({ name: 'orders', topicId: 'ab'.repeat(16), partitionCount: 1, configs: { 'retention.bytes': '30720' } });
    await store.commitOffsets([{ groupId: 'g', topic: 'orders', partition: 0, offset: 42, metadata: null, commitTimestamp: t0 }]);
    const producerIds = [await store.allocateProducerId(), await store.allocateProducerId()];

    // Act
    store = await reopen();
    log = await store.openPartition('orders', 0);

    // Assess
    expect(start).toBeGreaterThan(0);
    expect(log.logStartOffset).toBe(start);
    expect(log.logEndOffset).toBe(end);
    const after = await log.read(start, Number.MAX_SAFE_INTEGER);
    expect(after.map((b) => b.toString('hex'))).toEqual(before.map((b) => b.toString('hex')));
    expect(sameBatchContent((await log.findBatchByTimestamp(t0 + 79_000))!, items[79]!.bytes)).toBe(true);
    expect(await store.loadTopics()).toEqual([{ name: 'orders', topicId: 'ab'.repeat(16), partitionCount: 1, configs: { 'retention.bytes': '30720' } }]);
    expect((await store.loadOffsets()).map((o) => o.offset)).toEqual([42]);
    expect(await store.allocateProducerId()).toBeGreaterThan(Math.max(...producerIds));
    const next = fixtureBatch({ tag: 'next' });
    expect(await log.append(next.bytes, next.info, 'fsync')).toBe(end);
    expect(logLines.filter((line) => line.level !== 'info')).toEqual([]);
  });

  it('writes acks=0 appends in order and flushes them at close', async () => {
    // Prepare
    const items = batches(60);
    const log = await (await open()).openPartition('orders', 0);

    // Act
    const offsets = await Promise.all(items.map((item) => log.append(item.bytes, item.info, 'memory')));
    const reopened = await (await reopen()).openPartition('orders', 0);

    // Assess
    const stored = await reopened.read(0, Number.MAX_SAFE_INTEGER);
    expect(stored.map(baseOffsetOf)).toEqual(offsets);
    stored.forEach((bytes, i) => expect(sameBatchContent(bytes, items[i]!.bytes)).toBe(true));
  });

  it('keeps interleaved acks=1, acks=-1 and acks=0 appends in order across a reopen', async () => {
    // Prepare: fsync appends after plain writes take the write + fdatasync path, the others the O_DSYNC one
    const items = batches(90);
    const durabilities = ['write', 'fsync', 'fsync', 'memory', 'fsync', 'write'] as const;
    const log = await (await open()).openPartition('orders', 0);

    // Act
    const offsets: number[] = [];
    for (let start = 0; start < items.length; start += 9) {
      const wave = items.slice(start, start + 9).map((item, i) => log.append(item.bytes, item.info, durabilities[(start + i) % durabilities.length]!));
      offsets.push(...(await Promise.all(wave)));
    }
    const reopened = await (await reopen()).openPartition('orders', 0);

    // Assess
    const stored = await reopened.read(0, Number.MAX_SAFE_INTEGER);
    expect(stored.map(baseOffsetOf)).toEqual(offsets);
    stored.forEach((bytes, i) => expect(sameBatchContent(bytes, items[i]!.bytes)).toBe(true));
  });

  it('copies a batch by default and keeps a handed-over one without copying', async () => {
    // Prepare
    const [copied, taken] = batches(2, 'own');
    const first = fixtureBatch({ tag: 'first' });
    const log = await (await open()).openPartition('orders', 0);
    await log.append(first.bytes, first.info, 'fsync');

    // Act
    const copiedOffset = await log.append(copied!.bytes, copied!.info, 'fsync');
    const takenOffset = await log.append(taken!.bytes, taken!.info, 'fsync', 'take');

    // Assess: only the taken buffer carries its assigned base offset; both read back whole
    expect(baseOffsetOf(copied!.bytes)).toBe(0);
    expect(baseOffsetOf(taken!.bytes)).toBe(takenOffset);
    const stored = await log.read(copiedOffset, Number.MAX_SAFE_INTEGER);
    expect(stored.map(baseOffsetOf)).toEqual([copiedOffset, takenOffset]);
    expect(sameBatchContent(stored[0]!, copied!.bytes)).toBe(true);
    expect(sameBatchContent(stored[1]!, taken!.bytes)).toBe(true);
  });

  describe('a torn or corrupt tail is cut at open and appends continue', () => {
    const damages: Array<[string, (file: string, lastBatch: Buffer) => Promise<void>, 'last' | 'end']> = [
      ['garbage appended', (file) => appendFile(file, Buffer.from('not a record batch at all, just junk')), 'end'],
      ['the last batch cut in half', async (file, last) => truncate(file, (await stat(file)).size - Math.floor(last.length / 2)), 'last'],
      [
        'a flipped byte in the last batch',
        async (file, last) => {
          const bytes = await readFile(file);
          bytes[bytes.length - Math.floor(last.length / 2)]! ^= 0x40;
          await writeFile(file, bytes);
        },
        'last',
      ],
      ['a lone partial header', (file) => appendFile(file, Buffer.alloc(20, 1)), 'end'],
    ];

    it.each(damages)('%s', async (_name, damage, cutAt) => {
      // Prepare
      const log = await (await open()).openPartition('orders', 0);
      await appendAll(log, batches(30));
      const all = await log.read(0, Number.MAX_SAFE_INTEGER);
      const last = all[all.length - 1]!;
      const endBefore = log.logEndOffset;
      await storage!.close();
      storage = null;
      const activeFile = (await segmentFiles('.log')).pop()!;
      await damage(activeFile, last);

      // Act
      const reopened = await (await open()).openPartition('orders', 0);

      // Assess
      const expectedEnd = cutAt === 'end' ? endBefore : baseOffsetOf(last);
      expect(reopened.logEndOffset).toBe(expectedEnd);
      expect(logLines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual(['truncated a torn or corrupt log tail at open']);
      const kept = await reopened.read(0, Number.MAX_SAFE_INTEGER);
      expect(kept.map((b) => b.toString('hex'))).toEqual(all.slice(0, cutAt === 'end' ? all.length : all.length - 1).map((b) => b.toString('hex')));
      const next = fixtureBatch({ records: 2, tag: 'after-crash' });
      expect(await reopened.append(next.bytes, next.info, 'fsync')).toBe(expectedEnd);

      // Assess: the repaired log reopens cleanly with the new batch
      const again = await (await reopen()).openPartition('orders', 0);
      expect(logLines.filter((line) => line.level === 'warn')).toEqual([]);
      expect(again.logEndOffset).toBe(expectedEnd + 2);
      const [tail] = await again.read(expectedEnd, 1);
      expect(sameBatchContent(tail!, next.bytes)).toBe(true);
    });
  });

  describe('broken index files are rebuilt from the log', () => {
    const breakages: Array<[string, (file: string) => Promise<void>]> = [
      ['deleted', (file) => rm(file)],
      ['filled with garbage', async (file) => writeFile(file, Buffer.alloc((await stat(file)).size, 0xa5))],
      ['truncated to a partial entry', async (file) => truncate(file, Math.max(0, (await stat(file)).size - 3))],
      ['pointing at the wrong batch', async (file) => {
        const bytes = await readFile(file);
        bytes.writeUInt32BE(bytes.readUInt32BE(bytes.length - 4) - 1, bytes.length - 4);
        await writeFile(file, bytes);
      }],
    ];

    it.each(breakages)('sealed segment index %s', async (_name, breakIt) => {
      // Prepare
      const items = batches(100);
      const log = await (await open()).openPartition('orders', 0);
      await appendAll(log, items);
      const before = await log.read(0, Number.MAX_SAFE_INTEGER);
      await storage!.close();
      storage = null;
      const [firstIndex] = await segmentFiles('.index');
      const indexBytes = await readFile(firstIndex!);
      await breakIt(firstIndex!);

      // Act
      const reopened = await (await open()).openPartition('orders', 0);

      // Assess
      expect(logLines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual(['rebuilt a segment index from its log']);
      expect(await readFile(firstIndex!)).toEqual(indexBytes);
      const after = await reopened.read(0, Number.MAX_SAFE_INTEGER);
      expect(after.map((b) => b.toString('hex'))).toEqual(before.map((b) => b.toString('hex')));
      for (const i of [3, 10, 17]) {
        const [batch] = await reopened.read(baseOffsetOf(before[i]!), 1);
        expect(batch!.equals(before[i]!)).toBe(true);
        expect(sameBatchContent((await reopened.findBatchByTimestamp(t0 + i * 1000))!, items[i]!.bytes)).toBe(true);
      }
    });

    it('rebuilds a deleted time index and the active segment index silently', async () => {
      // Prepare
      const items = batches(100);
      const log = await (await open()).openPartition('orders', 0);
      await appendAll(log, items);
      await storage!.close();
      storage = null;
      const activeIndex = (await segmentFiles('.index')).pop()!;
      const activeBytes = await readFile(activeIndex);
      await rm(activeIndex);
      const [firstTimeIndex] = await segmentFiles('.timeindex');
      await rm(firstTimeIndex!);

      // Act
      const reopened = await (await open()).openPartition('orders', 0);

      // Assess
      expect(await readFile(activeIndex)).toEqual(activeBytes);
      expect(logLines.filter((line) => line.level === 'warn')).toHaveLength(1);
      for (const i of [2, 50, 99]) {
        expect(sameBatchContent((await reopened.findBatchByTimestamp(t0 + i * 1000))!, items[i]!.bytes)).toBe(true);
      }
    });
  });

  it('finishes a retention that crashed before unlinking its segments', async () => {
    // Prepare: persist a log-start-offset beyond the first segments, as retention does first
    const log = await (await open()).openPartition('orders', 0);
    await appendAll(log, batches(60));
    await storage!.close();
    storage = null;
    const logs = await segmentFiles('.log');
    const thirdBase = Number(path.basename(logs[2]!, '.log'));
    await writeFile(path.join(partitionDir(), 'log-start-offset'), `${thirdBase}\n`);

    // Act
    const reopened = await (await open()).openPartition('orders', 0);

    // Assess
    expect(reopened.logStartOffset).toBe(thirdBase);
    expect(await segmentFiles('.log')).toEqual(logs.slice(2));
    expect(baseOffsetOf((await reopened.read(thirdBase, 1))[0]!)).toBe(thirdBase);
  });

  it('answers reads racing retention with whole batches or RangeError', async () => {
    // Prepare
    const log = await (await open(4 * 1024)).openPartition('orders', 0);
    await appendAll(log, batches(200));
    const end = log.logEndOffset;

    // Act: read every offset while retention deletes most segments
    const reads = Array.from({ length: end }, (_, offset) =>
      log.read(offset, 2000).then(
        (result) => ({ offset, result }),
        (error: unknown) => ({ offset, error }),
      ),
    );
    const retention = log.enforceRetention({ retentionMs: -1, retentionBytes: 20 * 1024 }, t0);
    const outcomes = await Promise.all(reads);
    await retention;

    // Assess
    expect(log.logStartOffset).toBeGreaterThan(0);
    for (const outcome of outcomes) {
      if ('error' in outcome) {
        expect(outcome.error).toBeInstanceOf(RangeError);
        expect(outcome.offset).toBeLessThan(log.logStartOffset);
      } else {
        const [first] = outcome.result;
        expect(baseOffsetOf(first!)).toBeLessThanOrEqual(outcome.offset);
        expect(lastOffsetOf(first!)).toBeGreaterThanOrEqual(outcome.offset);
      }
    }
  });

  describe('committed offsets log', () => {
    const offsetsLog = () => path.join(dataDir, 'groups', 'offsets.log');
    const line = (groupId: string, offset: number) =>
      JSON.stringify({ groupId, topic: 'orders', partition: 0, offset, metadata: null, commitTimestamp: t0 });

    it('ignores a torn last line and compacts the file', async () => {
      // Prepare
      await open();
      await storage!.close();
      storage = null;
      await writeFile(offsetsLog(), `${line('a', 1)}\n${line('b', 2)}\n${line('a', 3)}\n${line('c', 4).slice(0, 30)}`);

      // Act
      const loaded = await (await open()).loadOffsets();

      // Assess
      expect(loaded.map((o) => [o.groupId, o.offset]).sort()).toEqual([['a', 3], ['b', 2]]);
      expect(logLines.filter((l) => l.level === 'warn')).toHaveLength(1);
      const text = await readFile(offsetsLog(), 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(text.trim().split('\n')).toHaveLength(2);
    });

    it('appends commits as JSON lines and survives a reopen', async () => {
      // Prepare
      const store = await open();

      // Act
      await store.commitOffsets([{ groupId: 'g\n"x', topic: 'orders', partition: 0, offset: 7, metadata: 'm', commitTimestamp: t0 }]);
      await store.commitOffsets([{ groupId: 'g\n"x', topic: 'orders', partition: 0, offset: 9, metadata: null, commitTimestamp: t0 }]);
      const lines = (await readFile(offsetsLog(), 'utf8')).trim().split('\n');
      const reloaded = await (await reopen()).loadOffsets();

      // Assess
      expect(lines).toHaveLength(2);
      expect(reloaded).toEqual([{ groupId: 'g\n"x', topic: 'orders', partition: 0, offset: 9, metadata: null, commitTimestamp: t0 }]);
    });
  });

  describe('paths', () => {
    it('refuses partition and topic names that would leave the data directory', async () => {
      // Prepare
      const store = await open();

      // Act / Assess
      await expect(store.openPartition('..', 0)).rejects.toThrow(RangeError);
      await expect(store.openPartition('../../escape', 0)).rejects.toThrow(RangeError);
      await expect(store.saveTopic({ name: '..', topicId: 'ab'.repeat(16), partitionCount: 1, configs: {} })).rejects.toThrow(RangeError);
      await expect(store.saveTopic({ name: 'a/b', topicId: 'ab'.repeat(16), partitionCount: 1, configs: {} })).rejects.toThrow(RangeError);
      expect(await readdir(path.dirname(dataDir))).not.toContain('escape-0');
    });

    it('removes partition data of topics that were never saved or were deleted half-way', async () => {
      // Prepare: orders has 1 partition on record; orders-1 and ghost-0 exist only as data
      let store = await open();
      await store.saveTopic({ name: 'orders', topicId: 'ab'.repeat(16), partitionCount: 1, configs: {} });
      for (const [topic, partition] of [['orders', 0], ['orders', 1], ['ghost', 0]] as const) {
        const log = await store.openPartition(topic, partition);
        await appendAll(log, batches(2));
      }
      store = await reopen();

      // Act
      const topics = await store.loadTopics();

      // Assess
      expect(topics.map((topic) => topic.name)).toEqual(['orders']);
      expect((await readdir(path.join(dataDir, 'logs'))).sort()).toEqual(['orders-0']);
      expect(logLines.filter((l) => l.level === 'warn')).toHaveLength(2);
    });
  });

  it('keeps producer ids unique across many restarts', async () => {
    // Prepare
    const seen = new Set<number>();

    // Act
    for (let round = 0; round < 4; round++) {
      const store = round === 0 ? await open() : await reopen();
      for (let i = 0; i < 5; i++) seen.add(await store.allocateProducerId());
    }

    // Assess
    expect(seen.size).toBe(20);
  });

  it('rejects appends of bytes that are not one whole record batch', async () => {
    // Prepare
    const log = await (await open()).openPartition('orders', 0);
    const item = fixtureBatch();

    // Act / Assess
    await expect(log.append(item.bytes.subarray(0, 40), item.info, 'write')).rejects.toThrow(RangeError);
    await expect(log.append(Buffer.concat([item.bytes, Buffer.alloc(5)]), item.info, 'write')).rejects.toThrow(RangeError);
    expect(log.logEndOffset).toBe(0);
    expect(lastOffsetOf((await log.read(await log.append(item.bytes, item.info, 'write'), 1))[0]!)).toBe(0);
  });
});
