import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../../../infra/local-msk/logger.js';
import { encodeRecordBatch } from '../../../../../infra/local-msk/protocol/record-batch/index.js';
import { openFileStorage } from '../../../../../infra/local-msk/storage/file/file-storage.js';
import type { PartitionLog, Storage } from '../../../../../infra/local-msk/storage/storage.js';
import { batchInfoOf } from '../../../../helpers/record-batch-fixture.js';

/**
 * Idempotent producers' newest batches survive a reopen: the writer snapshots them at every
 * segment roll (`<base>.snapshot`) and recovery replays the active segment on top, so the state
 * is whole even when the batches that matter lie in sealed segments.
 */
describe('FileStorage producer state across a reopen', () => {
  let dataDir: string;
  let storage: Storage | null = null;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'local-msk-producer-snapshot-'));
  });

  afterEach(async () => {
    await storage?.close();
    storage = null;
    await rm(dataDir, { recursive: true, force: true });
  });

  /** segmentBytes 1: every batch rolls a new segment, so all but the last lie in sealed segments. */
  const open = async () => {
    const logger = createMemoryLogger();
    storage = await openFileStorage(dataDir, { segmentBytes: 1, logger, faults: new Map() });
    return { logger, log: await storage.openPartition('idempotent', 0) };
  };
  const reopen = async () => {
    await storage!.close();
    return open();
  };
  const append = (log: PartitionLog, producerId: number, baseSequence: number, records = 1, producerEpoch = 0) => {
    const bytes = encodeRecordBatch({
      records: Array.from({ length: records }, (_, i) => ({ value: `p${producerId}-s${baseSequence + i}`, timestamp: 1_700_000_000_000 })),
      producerId,
      producerEpoch,
      baseSequence,
    });
    return log.append(bytes, batchInfoOf(bytes), 'fsync');
  };

  it("keeps each producer's newest five batches, with offsets, from sealed segments and the active one", async () => {
    // Prepare: producer 5000 sends seven batches of two records, producer 6000 one, plus a non-idempotent batch
    const { log } = await open();
    const offsets: number[] = [];
    for (let i = 0; i < 7; i++) offsets.push(await append(log, 5000, i * 2, 2));
    const offsetOf6000 = await append(log, 6000, 0, 3, 4);
    await append(log, -1, -1);

    // Act
    const { log: reopened, logger } = await reopen();
    const restored = reopened.storedProducerBatches();

    // Assess
    expect(restored.filter((batch) => batch.producerId === 5000)).toEqual(
      [2, 3, 4, 5, 6].map((i) => ({ producerId: 5000, producerEpoch: 0, firstSequence: i * 2, lastSequence: i * 2 + 1, baseOffset: offsets[i] })),
    );
    expect(restored.filter((batch) => batch.producerId === 6000)).toEqual([
      { producerId: 6000, producerEpoch: 4, firstSequence: 0, lastSequence: 2, baseOffset: offsetOf6000 },
    ]);
    expect(restored).toHaveLength(6);
    expect(logger.lines.filter((line) => line.level !== 'info')).toEqual([]);
  });

  it('forgets the batches of an older epoch once the producer stored one of a newer epoch', async () => {
    // Prepare
    const { log } = await open();
    await append(log, 7000, 0);
    await append(log, 7000, 1);
    const offsetOfNewEpoch = await append(log, 7000, 0, 1, 1);

    // Act
    const { log: reopened } = await reopen();

    // Assess
    expect(reopened.storedProducerBatches()).toEqual([{ producerId: 7000, producerEpoch: 1, firstSequence: 0, lastSequence: 0, baseOffset: offsetOfNewEpoch }]);
  });

  it('starts from the active segment alone, with one warning, when its snapshot is unreadable', async () => {
    // Prepare
    const { log } = await open();
    await append(log, 5000, 0);
    const lastOffset = await append(log, 5000, 1);
    await storage!.close();
    storage = null;
    const partitionDir = path.join(dataDir, 'logs', 'idempotent-0');
    const snapshots = (await readdir(partitionDir)).filter((name) => name.endsWith('.snapshot')).sort();
    await writeFile(path.join(partitionDir, snapshots[snapshots.length - 1]!), '{"version":1,"batches":[{"producerId":"x"}]}\n');

    // Act
    const { log: reopened, logger } = await open();

    // Assess
    expect(reopened.storedProducerBatches()).toEqual([{ producerId: 5000, producerEpoch: 0, firstSequence: 1, lastSequence: 1, baseOffset: lastOffset }]);
    expect(logger.lines.filter((line) => line.level === 'warn').map((line) => line.message)).toEqual(['ignoring an unreadable producer snapshot']);
  });
});
