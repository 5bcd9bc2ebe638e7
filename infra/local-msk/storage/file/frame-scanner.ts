/**
 * Walks the frames of a segment file with chunked positional reads (no whole-file reads,
 * bounded memory). Used by recovery (whole frames, to check CRCs), by lookups (headers
 * only, to step from an index entry to the wanted batch) and by timestamp searches.
 */
import type { FileHandle } from 'node:fs/promises';
import { batchHeaderBytes, headerProblem, readFrameHeader, type FrameHeader } from './batch-frame.js';

export interface ScannedFrame extends FrameHeader {
  /** File position of the frame's first byte. */
  position: number;
}

/** What the visitor sees; `bytes[at, at + frame.size)` is the frame when whole frames were asked for. */
export type FrameVisitor = (frame: ScannedFrame, bytes: Buffer, at: number) => 'continue' | 'stop';

export interface ScanResult {
  /** Position of the frame the visitor stopped at, or where scanning ended. */
  position: number;
  /** Why scanning ended before `end`; null when it reached `end` or the visitor stopped it. */
  problem: string | null;
  stopped: boolean;
}

export interface ScanOptions {
  /** Whether the visitor needs each whole frame in `bytes` (otherwise only the header is there). */
  wholeFrames: boolean;
  /** Bytes read per positional read (a frame larger than this is read on its own). */
  chunkBytes: number;
}

/** Reads `handle[from, end)` frame by frame; stops at `end`, when the visitor says so, or at a malformed frame. */
export async function scanFrames(
  handle: FileHandle,
  from: number,
  end: number,
  visit: FrameVisitor,
  options: ScanOptions,
): Promise<ScanResult> {
  const window = new FileWindow(handle, end, options.chunkBytes);
  let position = from;
  while (position < end) {
    if (!(await window.ensure(position, batchHeaderBytes))) {
      return { position, problem: `incomplete batch header (${end - position} bytes left)`, stopped: false };
    }
    const at = position - window.start;
    const problem = headerProblem(window.bytes, at);
    if (problem) return { position, problem, stopped: false };
    const header = readFrameHeader(window.bytes, at);
    if (position + header.size > end) {
      return { position, problem: `incomplete batch (${header.size} bytes declared, ${end - position} left)`, stopped: false };
    }
    if (options.wholeFrames && !(await window.ensure(position, header.size))) {
      return { position, problem: 'file shorter than expected', stopped: false };
    }
    const frame: ScannedFrame = { ...header, position };
    if (visit(frame, window.bytes, position - window.start) === 'stop') return { position, problem: null, stopped: true };
    position += header.size;
  }
  return { position, problem: null, stopped: false };
}

/** A buffer holding file bytes [start, start + length), refilled on demand. */
class FileWindow {
  bytes: Buffer;
  start = 0;
  length = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly end: number,
    private readonly chunkBytes: number,
  ) {
    this.bytes = Buffer.allocUnsafe(0);
  }

  /** Makes file bytes [position, position + count) available; false when they lie beyond `end`. */
  async ensure(position: number, count: number): Promise<boolean> {
    if (position + count > this.end) return false;
    if (position >= this.start && position + count <= this.start + this.length) return true;
    const want = Math.min(Math.max(this.chunkBytes, count), this.end - position);
    if (this.bytes.length < want) this.bytes = Buffer.allocUnsafe(want);
    const got = await readFully(this.handle, this.bytes, want, position);
    this.start = position;
    this.length = got;
    return got >= count;
  }
}

/** Positional read of `length` bytes into `target[0..)`, looping over short reads; returns the bytes read (less only at EOF). */
export async function readFully(handle: FileHandle, target: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(target, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}
