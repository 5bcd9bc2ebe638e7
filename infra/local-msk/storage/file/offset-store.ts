/**
 * Committed consumer-group offsets as an append-only log of JSON lines
 * (`groups/offsets.log`, one CommittedOffset per line; later lines win).
 *
 * - commit: appends the lines through an O_DSYNC handle (the write returns once the data is
 *   durable, as write + fdatasync would) before resolving; commits arriving while a write
 *   runs are written together afterwards (group commit).
 * - open/load: replays the file; a torn last line (no trailing newline, or not valid JSON)
 *   is ignored; then the file is compacted (rewritten atomically with one line per key).
 * - deleteForTopic: rewrites the file without that topic.
 * Group ids and topic names are attacker-controlled: they only ever appear inside JSON
 * strings, never in paths. All file operations run one at a time, in call order.
 */
import { constants } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { Logger } from '../../logger.js';
import type { CommittedOffset } from '../storage.js';
import { writeFileAtomic } from './atomic-file.js';

export class OffsetStore {
  private readonly offsets = new Map<string, CommittedOffset>();
  private handle: FileHandle | null = null;
  /** Serializes file operations. */
  private tail: Promise<void> = Promise.resolve();
  /** Commits waiting for the next write + sync. */
  private waiting: Array<{ lines: string; done: () => void; failed: (error: Error) => void }> = [];
  private flushing = false;

  private constructor(
    private readonly file: string,
    private readonly logger: Logger,
  ) {}

  static async open(file: string, logger: Logger): Promise<OffsetStore> {
    const store = new OffsetStore(file, logger);
    await store.replay();
    await store.compact();
    return store;
  }

  /** Every committed offset (latest per group/topic/partition); compacts the file. */
  load(): Promise<CommittedOffset[]> {
    return this.serialized(async () => {
      await this.compact();
      return [...this.offsets.values()].map((offset) => ({ ...offset }));
    });
  }

  commit(offsets: CommittedOffset[]): Promise<void> {
    if (offsets.length === 0) return Promise.resolve();
    let lines = '';
    for (const offset of offsets) {
      const copy = normalize(offset);
      this.offsets.set(keyOf(copy), copy);
      lines += JSON.stringify(copy) + '\n';
    }
    const written = new Promise<void>((done, failed) => this.waiting.push({ lines, done, failed }));
    if (!this.flushing) {
      this.flushing = true;
      void this.serialized(() => this.flushWaiting());
    }
    return written;
  }

  deleteForTopic(topic: string): Promise<void> {
    for (const [key, offset] of this.offsets) if (offset.topic === topic) this.offsets.delete(key);
    return this.serialized(() => this.compact());
  }

  close(): Promise<void> {
    return this.serialized(async () => {
      await this.handle?.close();
      this.handle = null;
    });
  }

  /** Writes every waiting commit durably at once, repeating while more arrive. */
  private async flushWaiting(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        try {
          const handle = await this.appendHandle();
          await handle.appendFile(batch.map((entry) => entry.lines).join(''));
          for (const entry of batch) entry.done();
        } catch (error) {
          for (const entry of batch) entry.failed(error instanceof Error ? error : new Error(String(error)));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async replay(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    const lines = text.split('\n');
    // The part after the last newline is a line whose write never finished.
    const torn = lines.pop() !== '';
    let skipped = 0;
    for (const line of lines) {
      const offset = parseLine(line);
      if (offset) this.offsets.set(keyOf(offset), offset);
      else skipped++;
    }
    if (torn || skipped > 0) {
      this.logger.warn('ignored unreadable lines of the committed offsets log', { tornLastLine: torn, skippedLines: skipped });
    }
  }

  /** Rewrites the file with the current offsets only (atomic), then appends continue on the new file. */
  private async compact(): Promise<void> {
    let text = '';
    for (const offset of this.offsets.values()) text += JSON.stringify(offset) + '\n';
    await this.handle?.close();
    this.handle = null;
    await writeFileAtomic(this.file, text);
  }

  private async appendHandle(): Promise<FileHandle> {
    this.handle ??= await open(this.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC, 0o644);
    return this.handle;
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.tail.then(operation);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

function keyOf(offset: CommittedOffset): string {
  return JSON.stringify([offset.groupId, offset.topic, offset.partition]);
}

function normalize(offset: CommittedOffset): CommittedOffset {
  return {
    groupId: offset.groupId,
    topic: offset.topic,
    partition: offset.partition,
    offset: offset.offset,
    metadata: offset.metadata,
    commitTimestamp: offset.commitTimestamp,
  };
}

function parseLine(line: string): CommittedOffset | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (
    typeof v['groupId'] !== 'string' ||
    typeof v['topic'] !== 'string' ||
    !Number.isInteger(v['partition']) ||
    !Number.isInteger(v['offset']) ||
    !(v['metadata'] === null || typeof v['metadata'] === 'string') ||
    typeof v['commitTimestamp'] !== 'number'
  ) {
    return null;
  }
  return normalize(v as unknown as CommittedOffset);
}
