/**
 * `<base>.snapshot`: the idempotent producers' newest batches as of offset `<base>` (see
 * producers/producer-history.ts). Written atomically when the writer rolls to the segment
 * starting at `<base>`, before that segment's .log file exists; so whenever a partition's
 * active segment exists on disk, its snapshot does too (except for a partition's first
 * segment, and for data written before snapshots existed: then the state starts empty and
 * only the active segment's batches rebuild it).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import { ProducerHistory } from '../../producers/producer-history.js';
import { writeFileAtomic } from './atomic-file.js';
import { segmentFileName } from './layout.js';

export function producerSnapshotPath(directory: string, baseOffset: number): string {
  return path.join(directory, segmentFileName(baseOffset, '.snapshot'));
}

export async function writeProducerSnapshot(directory: string, baseOffset: number, history: ProducerHistory): Promise<void> {
  await writeFileAtomic(producerSnapshotPath(directory, baseOffset), history.toSnapshotText());
}

/** The snapshot at `baseOffset`; empty when there is none, or (with a warning) when it is unreadable. */
export async function readProducerSnapshot(directory: string, baseOffset: number, partition: string, logger: Logger): Promise<ProducerHistory> {
  let text: string;
  try {
    text = await readFile(producerSnapshotPath(directory, baseOffset), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new ProducerHistory();
    throw error;
  }
  try {
    return ProducerHistory.fromSnapshotText(text);
  } catch (error) {
    // Only duplicate detection across this restart is lost: producers are judged as new.
    logger.warn('ignoring an unreadable producer snapshot', { partition, segment: baseOffset, reason: (error as Error).message });
    return new ProducerHistory();
  }
}
