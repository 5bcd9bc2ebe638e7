/**
 * Child process for the storage crash test: appends batches to a file-backed partition
 * with durability 'write', as fast as it can with 16 appends in flight, and prints
 * "<batch number> <offset>" for every acknowledged append, until it is killed.
 * Batch n is `crashTestBatch(n)`, so the parent can rebuild the expected bytes.
 *
 * Usage: node --import tsx storage-append-child.ts <dataDir>
 */
import { createMemoryLogger } from '../../infra/local-msk/logger.js';
import { openFileStorage } from '../../infra/local-msk/storage/file/file-storage.js';
import { crashTestBatch } from './crash-test-batch.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: storage-append-child.ts <dataDir>');

const storage = await openFileStorage(dataDir, { segmentBytes: 64 * 1024, logger: createMemoryLogger() });
const log = await storage.openPartition('crash', 0);
let next = 0;

async function appendLoop(): Promise<void> {
  for (;;) {
    const number = next++;
    const batch = crashTestBatch(number);
    const offset = await log.append(batch.bytes, batch.info, 'write');
    // Pipes are synchronous on Linux: once this returns the parent can read the line.
    process.stdout.write(`${number} ${offset}\n`);
  }
}

process.stdout.write('ready\n');
await Promise.all(Array.from({ length: 16 }, () => appendLoop()));
