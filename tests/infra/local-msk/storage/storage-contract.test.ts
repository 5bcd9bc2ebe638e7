import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../../infra/local-msk/logger.js';
import { openFileStorage } from '../../../../infra/local-msk/storage/file/file-storage.js';
import { MemoryStorage } from '../../../../infra/local-msk/storage/memory/memory-storage.js';
import type { CommittedOffset, PartitionLog, Storage } from '../../../../infra/local-msk/storage/storage.js';
import { baseOffsetOf, fixtureBatch, lastOffsetOf, sameBatchContent, type FixtureBatch } from '../../../helpers/record-batch-fixture.js';

/**
 * The same cases against every Storage implementation: what the broker may rely on.
 * File storage runs twice: one batch per segment (segmentBytes 1) and ~16 batches per
 * 16 KiB segment (so reads cross segments and the sparse index has entries).
 */
interface Subject {
  name: string;
  open(): Promise<{ storage: Storage; close(): Promise<void> }>;
}

const fileSubject = (segmentBytes: number): Subject => ({
  name: `FileStorage (segmentBytes ${segmentBytes})`,
  async open() {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'local-msk-contract-'));
    const storage = await openFileStorage(dataDir, { segmentBytes, logger: createMemoryLogger() });
    return {
      storage,
      close: async () => {
        await storage.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
});

const subjects: Subject[] = [
  { name: 'MemoryStorage', open: async () => ({ storage: new MemoryStorage(), close: async () => {} }) },
  fileSubject(1),
  fileSubject(16 * 1024),
];

const t0 = 1_700_000_000_000;

/** `count` batches of 1-3 records (~1 KiB each), batch i timestamped t0 + i * 1000. */
function batches(count: number, tag = 'b'): FixtureBatch[] {
  return Array.from({ length: count }, (_, i) =>
    fixtureBatch({ records: 1 + (i % 3), valueBytes: 300, timestamp: t0 + i * 1000, tag: `${tag}${i}` }),
  );
}

async function appendAll(log: PartitionLog, items: FixtureBatch[]): Promise<number[]> {
  const offsets: number[] = [];
  for (const item of items) offsets.push(await log.append(item.bytes, item.info, 'write'));
  return offsets;
}

async function readAll(log: PartitionLog, from = log.logStartOffset): Promise<Buffer[]> {
  return log.read(from, Number.MAX_SAFE_INTEGER);
}

describe.each(subjects)('storage contract: $name', (subject) => {
  let storage: Storage;
  let close: () => Promise<void>;
  let log: PartitionLog;

  beforeEach(async () => {
    ({ storage, close } = await subject.open());
    log = await storage.openPartition('orders', 0);
  });

  afterEach(async () => {
    await close();
  });

  describe('append and read', () => {
    it('assigns consecutive offsets synchronously and reads every batch back in order', async () => {
      // Prepare
      const items = batches(120);

      // Act
      const pending = items.map((item) => {
        const expected = log.logEndOffset;
        const promise = log.append(item.bytes, item.info, 'fsync');
        return { expected, promise, endAfter: log.logEndOffset };
      });
      const offsets = await Promise.all(pending.map((p) => p.promise));
      const stored = await readAll(log);

      // Assess
      expect(offsets).toEqual(pending.map((p) => p.expected));
      pending.forEach((p, i) => expect(p.endAfter).toBe(p.expected + items[i]!.info.lastOffsetDelta + 1));
      expect(stored).toHaveLength(items.length);
      stored.forEach((bytes, i) => {
        expect(baseOffsetOf(bytes)).toBe(offsets[i]);
        expect(sameBatchContent(bytes, items[i]!.bytes)).toBe(true);
      });
      expect(log.sizeBytes).toBe(items.reduce((sum, item) => sum + item.bytes.length, 0));
    });

    it('leaves the caller\'s buffer untouched', async () => {
      // Prepare
      await appendAll(log, batches(3));
      const item = fixtureBatch({ records: 2 });
      const before = Buffer.from(item.bytes);

      // Act
      await log.append(item.bytes, item.info, 'write');

      // Assess
      expect(item.bytes.equals(before)).toBe(true);
    });

    it('serves only batches below the high watermark, and every batch once the appends resolved', async () => {
      // Prepare
      const items = batches(40);

      // Act: read while the appends are in flight, and again once they resolved
      const promises = items.map((item) => log.append(item.bytes, item.info, 'fsync'));
      const seenInFlight = await readAll(log, 0);
      const highWatermarkAfterRead = log.highWatermark;
      await Promise.all(promises);
      const seenAfter = await readAll(log, 0);

      // Assess: in flight, a prefix of the final log, all of it below the high watermark; afterwards everything
      expect(seenInFlight.map(baseOffsetOf)).toEqual(seenAfter.slice(0, seenInFlight.length).map(baseOffsetOf));
      expect(seenInFlight.every((bytes) => lastOffsetOf(bytes) < highWatermarkAfterRead)).toBe(true);
      expect(seenAfter).toHaveLength(40);
      expect(log.highWatermark).toBe(log.logEndOffset);
    });

    it('serves a batch as soon as its acks=1 append has resolved', async () => {
      // Prepare
      await appendAll(log, batches(3));
      const item = fixtureBatch({ records: 2, tag: 'acked' });

      // Act
      const offset = await log.append(item.bytes, item.info, 'write');
      const [served] = await log.read(offset, Number.MAX_SAFE_INTEGER);

      // Assess
      expect(sameBatchContent(served!, item.bytes)).toBe(true);
      expect(log.highWatermark).toBe(offset + 2);
    });

    it('tells its listener how many bytes became visible, until acks=0 appends are all served', async () => {
      // Prepare
      const items = batches(25);
      const total = items.reduce((sum, item) => sum + item.bytes.length, 0);
      let visible = 0;
      const allVisible = new Promise<void>((resolve) =>
        log.watchHighWatermark((bytes) => {
          visible += bytes;
          if (visible === total) resolve();
        }),
      );

      // Act: acks=0 appends resolve at once; visibility follows the writes
      await Promise.all(items.map((item) => log.append(item.bytes, item.info, 'memory')));
      await allVisible;

      // Assess
      expect(await readAll(log, 0)).toHaveLength(25);
      expect(log.highWatermark).toBe(log.logEndOffset);
    });

    it('starts with the batch containing the offset when reading from the middle of a batch', async () => {
      // Prepare
      await appendAll(log, batches(30));
      const all = await readAll(log);
      const multi = all.find((bytes) => lastOffsetOf(bytes) > baseOffsetOf(bytes))!;

      // Act
      const [first] = await log.read(baseOffsetOf(multi) + 1, 1);

      // Assess
      expect(first?.equals(multi)).toBe(true);
    });

    it('pages through many batches and segments within maxBytes', async () => {
      // Prepare
      await appendAll(log, batches(200));
      const maxBytes = 5000;
      const pages: Buffer[][] = [];

      // Act
      for (let next = 0; next < log.logEndOffset; ) {
        const page = await log.read(next, maxBytes);
        pages.push(page);
        next = lastOffsetOf(page[page.length - 1]!) + 1;
      }

      // Assess
      const flat = pages.flat();
      expect(flat).toHaveLength(200);
      for (const page of pages) {
        expect(page.length).toBeGreaterThan(0);
        expect(page.reduce((sum, b) => sum + b.length, 0)).toBeLessThanOrEqual(maxBytes);
      }
      for (let i = 1; i < flat.length; i++) expect(baseOffsetOf(flat[i]!)).toBe(lastOffsetOf(flat[i - 1]!) + 1);
    });

    it('returns the first batch even when it alone is larger than maxBytes', async () => {
      // Prepare
      const big = fixtureBatch({ records: 10, valueBytes: 2000 });
      await log.append(big.bytes, big.info, 'write');
      await appendAll(log, batches(2));

      // Act
      const one = await log.read(0, 100);
      const zero = await log.read(0, 0);

      // Assess
      expect(one).toHaveLength(1);
      expect(sameBatchContent(one[0]!, big.bytes)).toBe(true);
      expect(zero).toHaveLength(1);
    });

    it('returns nothing at the log end and throws RangeError outside the log', async () => {
      // Prepare
      await appendAll(log, batches(5));

      // Act
      const atEnd = await log.read(log.logEndOffset, 1000);

      // Assess
      expect(atEnd).toEqual([]);
      await expect(log.read(log.logEndOffset + 1, 1000)).rejects.toThrow(RangeError);
      await expect(log.read(-1, 1000)).rejects.toThrow(RangeError);
    });

    it('reads nothing from an empty log', async () => {
      // Act
      const result = await log.read(0, 1000);

      // Assess
      expect(result).toEqual([]);
      expect(log.logStartOffset).toBe(0);
      expect(log.logEndOffset).toBe(0);
      expect(await log.findBatchByTimestamp(0)).toBeNull();
    });

    it('keeps partitions apart', async () => {
      // Prepare
      const other = await storage.openPartition('orders', 1);
      await appendAll(log, batches(3));

      // Act
      const item = fixtureBatch({ tag: 'other' });
      const offset = await other.append(item.bytes, item.info, 'write');

      // Assess
      expect(offset).toBe(0);
      expect(await storage.openPartition('orders', 1)).toBe(other);
      expect(await readAll(other)).toHaveLength(1);
    });
  });

  describe('timestamps', () => {
    it('finds the first batch whose maxTimestamp reaches the timestamp', async () => {
      // Prepare
      const items = batches(150);
      await appendAll(log, items);

      // Act
      const exact = await log.findBatchByTimestamp(t0 + 77 * 1000);
      const between = await log.findBatchByTimestamp(t0 + 77 * 1000 + 1);
      const before = await log.findBatchByTimestamp(0);
      const after = await log.findBatchByTimestamp(t0 + 150 * 1000);

      // Assess
      expect(sameBatchContent(exact!, items[77]!.bytes)).toBe(true);
      expect(sameBatchContent(between!, items[78]!.bytes)).toBe(true);
      expect(sameBatchContent(before!, items[0]!.bytes)).toBe(true);
      expect(after).toBeNull();
    });

    it('handles timestamps that go backwards', async () => {
      // Prepare: 5000, 1000, 9000, 2000, 9500, ... as the batches' timestamps
      const stamps = Array.from({ length: 60 }, (_, i) => t0 + (i % 2 === 0 ? 5000 + i * 100 : 1000 + i));
      const items = stamps.map((timestamp, i) => fixtureBatch({ timestamp, valueBytes: 500, tag: `t${i}` }));
      await appendAll(log, items);

      // Act
      const found = await log.findBatchByTimestamp(t0 + 5000 + 30 * 100);

      // Assess: batch 30 is the first with a timestamp that high
      expect(sameBatchContent(found!, items[30]!.bytes)).toBe(true);
    });

    it('finds a batch as soon as its append has resolved', async () => {
      // Prepare
      const items = batches(30);

      // Act
      await Promise.all(items.map((item) => log.append(item.bytes, item.info, 'fsync')));
      const found = await log.findBatchByTimestamp(t0 + 29 * 1000);

      // Assess
      expect(sameBatchContent(found!, items[29]!.bytes)).toBe(true);
    });
  });

  describe('retention', () => {
    it('keeps everything with unlimited limits', async () => {
      // Prepare
      await appendAll(log, batches(50));
      const size = log.sizeBytes;

      // Act
      await log.enforceRetention({ retentionMs: -1, retentionBytes: -1 }, t0 * 2);

      // Assess
      expect(log.logStartOffset).toBe(0);
      expect(log.sizeBytes).toBe(size);
    });

    it('drops the oldest data while the log is larger than retentionBytes', async () => {
      // Prepare
      await appendAll(log, batches(100));
      const end = log.logEndOffset;
      const limit = 40 * 1024;

      // Act
      await log.enforceRetention({ retentionMs: -1, retentionBytes: limit }, t0);

      // Assess
      const kept = await readAll(log);
      expect(log.logStartOffset).toBeGreaterThan(0);
      expect(baseOffsetOf(kept[0]!)).toBe(log.logStartOffset);
      expect(log.sizeBytes).toBeLessThanOrEqual(limit);
      expect(log.sizeBytes).toBeGreaterThan(limit / 2);
      expect(log.sizeBytes).toBe(kept.reduce((sum, b) => sum + b.length, 0));
      expect(log.logEndOffset).toBe(end);
      await expect(log.read(log.logStartOffset - 1, 100)).rejects.toThrow(RangeError);
    });

    it('drops data older than retentionMs and keeps newer data', async () => {
      // Prepare: batch i has timestamp t0 + i s; at now = t0 + 160 s with 100 s retention, batches 0..59 are old
      const items = batches(100);
      const offsets = await appendAll(log, items);

      // Act
      await log.enforceRetention({ retentionMs: 100_000, retentionBytes: -1 }, t0 + 160_000);

      // Assess
      expect(log.logStartOffset).toBeGreaterThan(0);
      expect(log.logStartOffset).toBeLessThanOrEqual(offsets[60]!);
      const kept = await readAll(log);
      expect(kept.length).toBeGreaterThanOrEqual(40);
      for (const bytes of kept.slice(0, kept.length - 40)) expect(bytes.readBigInt64BE(35)).toBeLessThan(BigInt(t0 + 60_000));
    });

    it('never drops the newest data', async () => {
      // Prepare
      const items = batches(20);
      await appendAll(log, items);

      // Act
      await log.enforceRetention({ retentionMs: 0, retentionBytes: 0 }, t0 * 2);

      // Assess
      const kept = await readAll(log);
      expect(sameBatchContent(kept[kept.length - 1]!, items[19]!.bytes)).toBe(true);
      expect(log.logEndOffset).toBe(lastOffsetOf(kept[kept.length - 1]!) + 1);
      const item = fixtureBatch({ tag: 'after' });
      expect(await log.append(item.bytes, item.info, 'write')).toBe(log.logEndOffset - 1);
    });
  });

  describe('topics', () => {
    it('saves, updates, loads and deletes topic records', async () => {
      // Prepare
      const topicId = 'ab'.repeat(16);

      // Act
      await storage.saveTopic({ name: 'orders', topicId, partitionCount: 1, configs: {} });
      await storage.saveTopic({ name: 'orders', topicId, partitionCount: 3, configs: { 'retention.ms': '1000' } });
      await storage.saveTopic({ name: 'audit.log_v2', topicId: 'cd'.repeat(16), partitionCount: 2, configs: {} });
      const loaded = await storage.loadTopics();
      await storage.deleteTopic('audit.log_v2');
      const afterDelete = await storage.loadTopics();

      // Assess
      expect(loaded).toHaveLength(2);
      expect(loaded).toContainEqual({ name: 'orders', topicId, partitionCount: 3, configs: { 'retention.ms': '1000' } });
      expect(afterDelete.map((topic) => topic.name)).toEqual(['orders']);
    });

    it('forgets a removed partition', async () => {
      // Prepare
      await appendAll(log, batches(5));
      await log.close();

      // Act
      await storage.removePartition('orders', 0);
      const reopened = await storage.openPartition('orders', 0);

      // Assess
      expect(reopened.logEndOffset).toBe(0);
      expect(await reopened.read(0, 1000)).toEqual([]);
    });
  });

  describe('committed offsets', () => {
    const commit = (groupId: string, topic: string, partition: number, offset: number, metadata: string | null = null): CommittedOffset => ({
      groupId,
      topic,
      partition,
      offset,
      metadata,
      commitTimestamp: t0 + offset,
    });

    it('loads what was committed, later commits winning', async () => {
      // Prepare: names that would be dangerous in a path or a line-based format
      const weird = '../../etc/passwd\n{"groupId":"x"}\u0000é';

      // Act
      await storage.commitOffsets([commit('g1', 'orders', 0, 10), commit('g1', 'orders', 1, 20, 'meta')]);
      await storage.commitOffsets([commit('g1', 'orders', 0, 15), commit(weird, 'orders', 0, 5)]);
      const loaded = await storage.loadOffsets();

      // Assess
      expect(loaded).toHaveLength(3);
      expect(loaded).toContainEqual(commit('g1', 'orders', 0, 15));
      expect(loaded).toContainEqual(commit('g1', 'orders', 1, 20, 'meta'));
      expect(loaded).toContainEqual(commit(weird, 'orders', 0, 5));
    });

    it('deletes every offset of a topic', async () => {
      // Prepare
      await storage.commitOffsets([commit('g1', 'orders', 0, 1), commit('g2', 'orders', 3, 2), commit('g1', 'audit', 0, 3)]);

      // Act
      await storage.deleteOffsetsForTopic('orders');
      const loaded = await storage.loadOffsets();

      // Assess
      expect(loaded).toEqual([commit('g1', 'audit', 0, 3)]);
    });

    it('keeps concurrent commits', async () => {
      // Act
      await Promise.all(Array.from({ length: 50 }, (_, i) => storage.commitOffsets([commit(`g${i}`, 'orders', 0, i)])));
      const loaded = await storage.loadOffsets();

      // Assess
      expect(loaded).toHaveLength(50);
    });
  });

  describe('producer ids', () => {
    it('hands out unique ids, also concurrently', async () => {
      // Act
      const sequential = [];
      for (let i = 0; i < 1500; i++) sequential.push(await storage.allocateProducerId());
      const concurrent = await Promise.all(Array.from({ length: 1500 }, () => storage.allocateProducerId()));

      // Assess
      const all = [...sequential, ...concurrent];
      expect(new Set(all).size).toBe(all.length);
      expect(all.every((id) => Number.isSafeInteger(id) && id >= 0)).toBe(true);
    });
  });
});
