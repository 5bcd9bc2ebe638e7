/**
 * Opening a partition directory: finds its segments, drops leftovers (temp files, index
 * and snapshot files without a log, segments wholly below the persisted log-start-offset),
 * loads the sealed segments, recovers the active one and rebuilds the producer state.
 */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ProducerHistory } from '../../producers/producer-history.js';
import { fsyncDirectory, isAtomicTempFile, writeFileAtomic } from './atomic-file.js';
import { readStoredProducerBatch } from './batch-frame.js';
import { logStartOffsetFileName, parseSegmentFileName, segmentExtensions, segmentFileName, type SegmentExtension } from './layout.js';
import { readProducerSnapshot } from './producer-snapshot.js';
import type { Segment } from './segment.js';
import { loadSealedSegment, recoverActiveSegment, type RecoveryContext } from './segment-recovery.js';

export interface RecoveredPartition {
  /** Ordered by base offset; the last one is active. Never empty. */
  segments: Segment[];
  logStartOffset: number;
  /** Idempotent producers' newest stored batches: the active segment's snapshot plus its batches. */
  producers: ProducerHistory;
}

export async function recoverPartition(context: RecoveryContext): Promise<RecoveredPartition> {
  const { directory } = context;
  const created = await mkdir(directory, { recursive: true });
  if (created !== undefined) await fsyncDirectory(path.dirname(directory));

  const files = new Map<number, Set<SegmentExtension>>();
  for (const name of await readdir(directory)) {
    if (isAtomicTempFile(name)) {
      await rm(path.join(directory, name), { force: true });
      continue;
    }
    const parsed = parseSegmentFileName(name);
    if (!parsed) continue;
    let extensions = files.get(parsed.baseOffset);
    if (!extensions) files.set(parsed.baseOffset, (extensions = new Set()));
    extensions.add(parsed.extension);
  }

  // Index and snapshot files whose log is gone belong to nothing (a snapshot written at a roll
  // whose new segment was never created holds what replaying the active segment rebuilds).
  for (const [baseOffset, extensions] of files) {
    if (extensions.has('.log')) continue;
    for (const extension of extensions) await rm(path.join(directory, segmentFileName(baseOffset, extension)), { force: true });
    files.delete(baseOffset);
  }

  let bases = [...files.keys()].sort((a, b) => a - b);
  let logStartOffset = await readLogStartOffset(directory, context);
  // Segments that retention already gave up on (the unlink did not reach the disk before a crash).
  while (bases.length > 1 && bases[1]! <= logStartOffset) {
    await removeSegmentFiles(directory, bases[0]!);
    bases = bases.slice(1);
  }

  const segments: Segment[] = [];
  for (let i = 0; i + 1 < bases.length; i++) segments.push(await loadSealedSegment(context, bases[i]!, bases[i + 1]!));
  const activeBase = bases.length > 0 ? bases[bases.length - 1]! : Math.max(0, logStartOffset);
  const producers = await readProducerSnapshot(directory, activeBase, context.name, context.logger);
  segments.push(await recoverActiveSegment(context, activeBase, bases.length > 0, (bytes, at) => producers.observe(readStoredProducerBatch(bytes, at))));

  const active = segments[segments.length - 1]!;
  logStartOffset = Math.min(Math.max(logStartOffset, segments[0]!.baseOffset), active.nextOffset);
  return { segments, logStartOffset, producers };
}

/** Persists the retention watermark (atomic rewrite). */
export async function writeLogStartOffset(directory: string, offset: number): Promise<void> {
  await writeFileAtomic(path.join(directory, logStartOffsetFileName), `${offset}\n`);
}

async function readLogStartOffset(directory: string, context: RecoveryContext): Promise<number> {
  let text: string;
  try {
    text = await readFile(path.join(directory, logStartOffsetFileName), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < 0 || !/^\d+$/.test(text.trim())) {
    context.logger.warn('ignoring an unreadable log-start-offset file', { partition: context.name });
    return 0;
  }
  return value;
}

async function removeSegmentFiles(directory: string, baseOffset: number): Promise<void> {
  for (const extension of segmentExtensions) {
    await rm(path.join(directory, segmentFileName(baseOffset, extension)), { force: true });
  }
}
