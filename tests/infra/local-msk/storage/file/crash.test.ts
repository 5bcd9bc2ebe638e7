import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../../../infra/local-msk/logger.js';
import { openFileStorage } from '../../../../../infra/local-msk/storage/file/file-storage.js';
import type { Storage } from '../../../../../infra/local-msk/storage/storage.js';
import { crashTestBatch } from '../../../../helpers/crash-test-batch.js';
import { baseOffsetOf, sameBatchContent } from '../../../../helpers/record-batch-fixture.js';

const childScript = fileURLToPath(new URL('../../../../helpers/storage-append-child.ts', import.meta.url));

/** Appends acknowledged with durability 'write' survive SIGKILL of the process that made them. */
describe('FileStorage under kill -9', () => {
  let dataDir: string | null = null;
  let storage: Storage | null = null;
  let child: ChildProcess | null = null;

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    child = null;
    await storage?.close();
    storage = null;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged batch intact and appends after the recovered end', async () => {
    // Prepare: a child appending as fast as it can
    dataDir = await mkdtemp(path.join(tmpdir(), 'local-msk-crash-'));
    const appender = spawn(process.execPath, ['--import', 'tsx', childScript, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged = new Map<number, number>();
    let stderr = '';
    child = appender;
    appender.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => appender.on('exit', (code, signal) => resolve(signal ?? code)));

    // Act: SIGKILL once enough appends were acknowledged (more are in flight)
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      appender.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [number, offset] = line.split(' ').map(Number);
          if (offset !== undefined) acknowledged.set(number!, offset);
        }
        if (acknowledged.size >= 3000) {
          appender.kill('SIGKILL');
          resolve();
        }
      });
      appender.on('exit', () => reject(new Error(`child exited early: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');

    // Assess: every acknowledged batch is there, byte for byte, at its offset
    storage = await openFileStorage(dataDir, { segmentBytes: 64 * 1024, logger: createMemoryLogger() });
    const log = await storage.openPartition('crash', 0);
    let highest = 0;
    for (const [number, offset] of acknowledged) {
      const [stored] = await log.read(offset, 1);
      expect(baseOffsetOf(stored!)).toBe(offset);
      expect(sameBatchContent(stored!, crashTestBatch(number).bytes)).toBe(true);
      highest = Math.max(highest, offset + crashTestBatch(number).info.lastOffsetDelta + 1);
    }
    expect(log.logEndOffset).toBeGreaterThanOrEqual(highest);

    // Assess: the recovered log is contiguous and takes new appends at its end
    let next = log.logStartOffset;
    for (const batch of await log.read(next, Number.MAX_SAFE_INTEGER)) {
      expect(baseOffsetOf(batch)).toBe(next);
      next = baseOffsetOf(batch) + batch.readInt32BE(23) + 1;
    }
    expect(next).toBe(log.logEndOffset);
    const more = crashTestBatch(999_999);
    expect(await log.append(more.bytes, more.info, 'fsync')).toBe(next);
  });
});
