/**
 * Bringing segments back at open.
 *
 * - The active (last) segment is always scanned whole: every frame's length, magic, offset
 *   continuity and CRC-32C are checked, the index is rebuilt from what is valid, and a torn
 *   or corrupt tail (from a crash mid-write) is cut off with one warning. Its index files
 *   are rewritten if they differ from the rebuilt index.
 * - Sealed segments were made durable before the next segment existed, so their index files
 *   are trusted after a cheap check (sizes, monotonic entries, the last offset entry points
 *   at a batch with the expected base offset); a missing or failing index is rebuilt by
 *   scanning the segment's headers.
 */
import { readFile, stat } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import { batchHeaderBytes, frameCrcMatches, readFrameHeader } from './batch-frame.js';
import { scanFrames } from './frame-scanner.js';
import { OffsetIndex, TimeIndex } from './index-entries.js';
import { Segment } from './segment.js';
import { SegmentIndex } from './segment-index.js';

const recoveryChunkBytes = 1024 * 1024;
const headerChunkBytes = 64 * 1024;

export interface RecoveryContext {
  directory: string;
  /** `<topic>-<partition>`, for log lines. */
  name: string;
  logger: Logger;
}

/**
 * Scans and repairs the last segment of a partition; `onBatch` sees every intact frame in
 * order (`bytes[at..]`). What is kept is synced before it is served: a broker killed during a
 * write may leave whole batches in the page cache that never reached the disk.
 */
export async function recoverActiveSegment(
  context: RecoveryContext,
  baseOffset: number,
  logFileExists: boolean,
  onBatch: (bytes: Buffer, at: number) => void = () => undefined,
): Promise<Segment> {
  const index = new SegmentIndex();
  const segment = new Segment(context.directory, baseOffset, index, { bytes: 0, nextOffset: baseOffset, fileCreated: logFileExists });
  if (!logFileExists) return segment;

  const fileBytes = (await stat(segment.logPath)).size;
  let nextOffset = baseOffset;
  let corruption: string | null = null;
  const scan = await segment.use((handle) =>
    scanFrames(
      handle,
      0,
      fileBytes,
      (frame, bytes, at) => {
        if (frame.baseOffset !== nextOffset) {
          corruption = `batch base offset ${frame.baseOffset}, expected ${nextOffset}`;
          return 'stop';
        }
        if (!frameCrcMatches(bytes, at, frame.size)) {
          corruption = 'CRC-32C mismatch';
          return 'stop';
        }
        index.add(frame.baseOffset - baseOffset, frame.position, frame.maxTimestamp);
        onBatch(bytes, at);
        nextOffset = frame.lastOffset + 1;
        return 'continue';
      },
      { wholeFrames: true, chunkBytes: recoveryChunkBytes },
    ),
  );
  const validBytes = scan.position;
  if (validBytes < fileBytes) {
    await segment.use(async (handle) => {
      await handle.truncate(validBytes);
      await handle.datasync();
    });
    context.logger.warn('truncated a torn or corrupt log tail at open', {
      partition: context.name,
      segment: baseOffset,
      position: validBytes,
      droppedBytes: fileBytes - validBytes,
      reason: corruption ?? scan.problem,
    });
  } else if (validBytes > 0) {
    await segment.use((handle) => handle.datasync());
  }
  segment.appendedBytes = validBytes;
  segment.writtenBytes = validBytes;
  segment.nextOffset = nextOffset;
  const onDisk = await Promise.all([readOptional(segment.indexPath), readOptional(segment.timeIndexPath)]);
  index.dirty = !sameBytes(onDisk[0], index.offsets.fileBytes()) || !sameBytes(onDisk[1], index.times.fileBytes());
  if (index.dirty) await segment.writeIndexFiles();
  return segment;
}

/** Loads a sealed (non-last) segment whose successor starts at `nextBaseOffset`. */
export async function loadSealedSegment(context: RecoveryContext, baseOffset: number, nextBaseOffset: number): Promise<Segment> {
  const probe = new Segment(context.directory, baseOffset, new SegmentIndex(), { bytes: 0, nextOffset: nextBaseOffset, fileCreated: true });
  const logBytes = (await stat(probe.logPath)).size;
  const [offsetBytes, timeBytes] = await Promise.all([readOptional(probe.indexPath), readOptional(probe.timeIndexPath)]);
  const maxRelativeOffset = nextBaseOffset - 1 - baseOffset;

  let problem: string | null = null;
  let index: SegmentIndex | null = null;
  if (!offsetBytes || !timeBytes) {
    problem = 'index file missing';
  } else if (offsetBytes.length % OffsetIndex.entryBytes !== 0 || timeBytes.length % TimeIndex.entryBytes !== 0) {
    problem = 'index file size is not a whole number of entries';
  } else {
    const candidate = new SegmentIndex(new OffsetIndex(offsetBytes), new TimeIndex(timeBytes));
    problem =
      candidate.offsets.problem(logBytes, maxRelativeOffset) ??
      candidate.times.problem(maxRelativeOffset) ??
      (await lastEntryProblem(probe, candidate, logBytes));
    if (!problem) index = candidate;
  }

  if (!index) {
    index = await rebuildSealedIndex(probe, logBytes);
    context.logger.warn('rebuilt a segment index from its log', { partition: context.name, segment: baseOffset, reason: problem });
  }
  await probe.closeHandle();
  const segment = new Segment(context.directory, baseOffset, index, { bytes: logBytes, nextOffset: nextBaseOffset, fileCreated: true });
  segment.sealed = true;
  if (index.dirty) await segment.writeIndexFiles();
  return segment;
}

/** Whether the last offset-index entry really points at a batch with the offset it claims. */
async function lastEntryProblem(segment: Segment, index: SegmentIndex, logBytes: number): Promise<string | null> {
  const entries = index.offsets;
  if (entries.count === 0) {
    // Only a segment whose batches all start in its first 4 KiB has no entries: cheap to confirm.
    const rebuilt = await rebuildSealedIndex(segment, logBytes);
    return rebuilt.offsets.count === 0 && rebuilt.times.fileBytes().equals(index.times.fileBytes()) ? null : 'index has too few entries';
  }
  const position = entries.position(entries.count - 1);
  if (position + batchHeaderBytes > logBytes) return 'last index entry points past the end of the log';
  const header = readFrameHeader(await segment.read(position, batchHeaderBytes), 0);
  const expected = segment.baseOffset + entries.relativeOffset(entries.count - 1);
  return header.baseOffset === expected ? null : `last index entry points at offset ${header.baseOffset}, expected ${expected}`;
}

/** Rebuilds a sealed segment's index by scanning its headers (it is not truncated: later segments follow it). */
async function rebuildSealedIndex(segment: Segment, logBytes: number): Promise<SegmentIndex> {
  const index = new SegmentIndex();
  try {
    await segment.use((handle) =>
      scanFrames(
        handle,
        0,
        logBytes,
        (frame) => {
          index.add(frame.baseOffset - segment.baseOffset, frame.position, frame.maxTimestamp);
          return 'continue';
        },
        { wholeFrames: false, chunkBytes: headerChunkBytes },
      ),
    );
  } finally {
    await segment.closeHandle();
  }
  index.seal();
  index.dirty = true;
  return index;
}

async function readOptional(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function sameBytes(a: Buffer | null, b: Buffer): boolean {
  return a !== null && a.equals(b);
}
