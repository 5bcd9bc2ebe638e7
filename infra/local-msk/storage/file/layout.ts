/**
 * Where everything lives under the data directory (paths only, no I/O):
 *
 *   <dataDir>/topics/<topic>/topic.json            TopicRecord (atomic rewrite)
 *   <dataDir>/logs/<topic>-<partition>/            one directory per partition:
 *       <base>.log        RecordBatch v2 blocks exactly as appended (Kafka's log format)
 *       <base>.index      sparse offset index: (relative offset u32, file position u32) BE
 *       <base>.timeindex  time index: (max timestamp i64, relative offset u32) BE
 *       <base>.snapshot   idempotent producers' newest batches as of offset <base> (JSON, atomic;
 *                         written when the segment starting at <base> is rolled to)
 *       log-start-offset  first offset still stored (decimal text, atomic rewrite)
 *   <dataDir>/groups/offsets.log                    committed offsets, one JSON line each
 *   <dataDir>/producer-id                          next unreserved producer id (decimal text)
 *
 * <base> is the segment's first offset as 20 zero-padded decimal digits, so names sort
 * in offset order. Every path built from a name goes through `childPath`, which refuses
 * anything that could leave its parent directory (topic names are validated upstream;
 * this is the second fence).
 */
import path from 'node:path';

export const segmentExtensions = ['.log', '.index', '.timeindex', '.snapshot'] as const;
export type SegmentExtension = (typeof segmentExtensions)[number];

const segmentFilePattern = /^(\d{20})(\.log|\.index|\.timeindex|\.snapshot)$/;
const partitionDirectoryPattern = /^(.+)-(\d{1,10})$/;

/** Throws RangeError for names that are empty, contain separators or NUL, or are "." / "..". */
export function assertSafeName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new RangeError(`refusing unsafe file name ${JSON.stringify(name.slice(0, 80))}`);
  }
}

/** `parent/name`, refusing unsafe names and anything that would resolve outside `parent`. */
export function childPath(parent: string, name: string): string {
  assertSafeName(name);
  const resolvedParent = path.resolve(parent);
  const child = path.resolve(resolvedParent, name);
  if (path.dirname(child) !== resolvedParent) {
    throw new RangeError(`refusing path ${JSON.stringify(name.slice(0, 80))} outside ${resolvedParent}`);
  }
  return child;
}

export function topicsDirectory(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'topics');
}

export function topicDirectory(dataDir: string, topic: string): string {
  return childPath(topicsDirectory(dataDir), topic);
}

export function topicRecordPath(dataDir: string, topic: string): string {
  return path.join(topicDirectory(dataDir, topic), 'topic.json');
}

export function logsDirectory(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'logs');
}

export function partitionDirectoryName(topic: string, partition: number): string {
  assertSafeName(topic);
  if (!Number.isInteger(partition) || partition < 0) throw new RangeError(`invalid partition ${partition}`);
  return `${topic}-${partition}`;
}

export function partitionDirectory(dataDir: string, topic: string, partition: number): string {
  return childPath(logsDirectory(dataDir), partitionDirectoryName(topic, partition));
}

/** Splits `<topic>-<partition>` at the last dash; null for names that are not partition directories. */
export function parsePartitionDirectoryName(name: string): { topic: string; partition: number } | null {
  const match = partitionDirectoryPattern.exec(name);
  return match ? { topic: match[1]!, partition: Number(match[2]) } : null;
}

export function groupsDirectory(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'groups');
}

export function offsetsLogPath(dataDir: string): string {
  return path.join(groupsDirectory(dataDir), 'offsets.log');
}

export function producerIdPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), 'producer-id');
}

export const logStartOffsetFileName = 'log-start-offset';

/** `00000000000000001234.log` for base offset 1234. */
export function segmentFileName(baseOffset: number, extension: SegmentExtension): string {
  return `${String(baseOffset).padStart(20, '0')}${extension}`;
}

/** The base offset and extension of a segment file name, or null for any other file. */
export function parseSegmentFileName(name: string): { baseOffset: number; extension: SegmentExtension } | null {
  const match = segmentFilePattern.exec(name);
  if (!match) return null;
  const baseOffset = Number(match[1]);
  if (!Number.isSafeInteger(baseOffset)) return null;
  return { baseOffset, extension: match[2] as SegmentExtension };
}
