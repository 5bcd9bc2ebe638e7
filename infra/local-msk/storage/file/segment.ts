/**
 * One segment of a partition log: `<base>.log` plus its two index files, and what the log
 * knows about it in memory. The file handle is opened lazily and shared by the writer and
 * readers (positional reads and writes only, so they never disturb each other). A second
 * handle, opened with O_DSYNC, serves the writer's durable writes: such a write returns only
 * once its data is on stable storage, as a write followed by fdatasync() would.
 *
 * Byte counters (all in bytes of the .log file):
 *   appendedBytes >= writtenBytes
 *   - appendedBytes: everything assigned to this segment, including batches still queued;
 *   - writtenBytes: the prefix whose durable write has completed (on stable storage); readers
 *     never read past it, and it never shrinks. The index holds only batches below it.
 */
import { constants } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-file.js';
import { readFully } from './frame-scanner.js';
import { segmentFileName } from './layout.js';
import { SegmentIndex } from './segment-index.js';

export class SegmentDeletedError extends Error {}

export class Segment {
  appendedBytes: number;
  writtenBytes: number;
  /** Offset after the last batch assigned to this segment. */
  nextOffset: number;
  /** Set once rolled and made durable: no more appends, index files final. */
  sealed = false;
  /** Set when retention or close removed it from the log; its handle is gone. */
  deleted = false;
  /** Whether the .log file exists on disk (the writer creates it before the first write). */
  fileCreated: boolean;
  private handlePromise: Promise<FileHandle> | null = null;
  private durableHandlePromise: Promise<FileHandle> | null = null;
  /** Operations currently using the handle; closing waits for them. */
  private users = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly directory: string,
    readonly baseOffset: number,
    readonly index: SegmentIndex,
    state: { bytes: number; nextOffset: number; fileCreated: boolean },
  ) {
    this.appendedBytes = state.bytes;
    this.writtenBytes = state.bytes;
    this.nextOffset = state.nextOffset;
    this.fileCreated = state.fileCreated;
  }

  get logPath(): string {
    return path.join(this.directory, segmentFileName(this.baseOffset, '.log'));
  }

  get indexPath(): string {
    return path.join(this.directory, segmentFileName(this.baseOffset, '.index'));
  }

  get timeIndexPath(): string {
    return path.join(this.directory, segmentFileName(this.baseOffset, '.timeindex'));
  }

  /** Producer snapshot as of this segment's base offset (producer-snapshot.ts). */
  get snapshotPath(): string {
    return path.join(this.directory, segmentFileName(this.baseOffset, '.snapshot'));
  }

  /** Largest batch maxTimestamp in the segment (ms), -1 when it has none. */
  get maxTimestamp(): number {
    return this.index.maxTimestamp;
  }

  /**
   * Runs `operation` with the open handle (opening it, and creating the file, if needed); with
   * mode 'durable', the O_DSYNC handle (writes only). Handles stay open until every operation
   * using them has finished.
   */
  async use<T>(operation: (handle: FileHandle) => Promise<T>, mode: 'plain' | 'durable' = 'plain'): Promise<T> {
    if (this.deleted) throw new SegmentDeletedError(`segment ${this.baseOffset} was deleted`);
    this.users++;
    try {
      return await operation(await (mode === 'durable' ? this.openDurableHandle() : this.openHandle()));
    } finally {
      this.users--;
      if (this.users === 0) {
        for (const wake of this.idleWaiters.splice(0)) wake();
        // Sealed segments hold no descriptor while nobody reads them, so open files stay ~1 per partition.
        if (this.sealed && !this.deleted) void this.closeHandle().catch(() => undefined);
      }
    }
  }

  /** Exactly `length` bytes at `position` (which the caller knows are written). */
  read(position: number, length: number): Promise<Buffer> {
    return this.use(async (handle) => {
      const target = Buffer.allocUnsafe(length);
      const got = await readFully(handle, target, length, position);
      if (got < length) throw new Error(`segment ${this.baseOffset}: short read at ${position} (${got} of ${length} bytes)`);
      return target;
    });
  }

  /** Writes the index files atomically (at roll and close; the active segment's index is rebuilt at open anyway). */
  async writeIndexFiles(): Promise<void> {
    this.index.dirty = false;
    await writeFileAtomic(this.indexPath, Buffer.from(this.index.offsets.fileBytes()));
    await writeFileAtomic(this.timeIndexPath, Buffer.from(this.index.times.fileBytes()));
  }

  /** Closes the handle once no operation uses it; a later `use` reopens it. */
  async closeHandle(): Promise<void> {
    while (this.users > 0) await new Promise<void>((wake) => this.idleWaiters.push(wake));
    const pending = [this.handlePromise, this.durableHandlePromise];
    this.handlePromise = null;
    this.durableHandlePromise = null;
    for (const opening of pending) {
      const handle = opening ? await opening.catch(() => null) : null;
      await handle?.close();
    }
  }

  private openHandle(): Promise<FileHandle> {
    if (!this.handlePromise) {
      const opening = open(this.logPath, constants.O_RDWR | constants.O_CREAT, 0o644);
      this.handlePromise = opening;
      opening.catch(() => {
        if (this.handlePromise === opening) this.handlePromise = null;
      });
    }
    return this.handlePromise;
  }

  private openDurableHandle(): Promise<FileHandle> {
    if (!this.durableHandlePromise) {
      const opening = open(this.logPath, constants.O_WRONLY | constants.O_CREAT | constants.O_DSYNC, 0o644);
      this.durableHandlePromise = opening;
      opening.catch(() => {
        if (this.durableHandlePromise === opening) this.durableHandlePromise = null;
      });
    }
    return this.durableHandlePromise;
  }

  /** Removes the segment's files (and the producer snapshot at its base); in-flight reads finish first, later ones fail with SegmentDeletedError. */
  async delete(): Promise<void> {
    this.deleted = true;
    await this.closeHandle().catch(() => undefined);
    for (const file of [this.logPath, this.indexPath, this.timeIndexPath, this.snapshotPath]) await rm(file, { force: true });
  }
}
