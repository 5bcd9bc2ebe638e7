/**
 * Where each stream (Kafka topic-partition) of a batch stands before it is scored: the feature
 * state its next record starts from, up to which offset that state has learned, and the revision
 * of its `detector_streams` row. PostgreSQL holds the truth (written with each batch, see
 * shared/db/detector-streams.ts); a warm container keeps what it last wrote or read, and each batch
 * checks those revisions in the one query that reads the states it lacks: a state is read again
 * only when another container moved the stream since. Between that check and the batch's write
 * another writer may still move a stream; the batch's compare-and-set then fails, and the caller
 * forgets the batch's entries and starts again.
 */
import { readDetectorStreams, type Db, type StreamRow } from '../shared/db/index.js';
import type { StreamSnapshot } from '../shared/model/stream-snapshot.js';

/** A stream's starting point for its next batch. */
export interface StreamPosition {
  /** The revision of the stream's row; null when it has none (a new stream). */
  readonly revision: number | null;
  /**
   * One past the highest offset whose record the state has learned; 0 for a new stream. A record
   * below it counts as learned only when it is a redelivery of the record stored at its
   * coordinates: Kafka may reuse offsets (a recreated topic), and a record dead-lettered
   * "offset reused" never moves it (process-batch.ts, scoreStreams).
   */
  readonly nextOffset: number;
  /** What the feature set learned from the stream; null for a new stream. */
  readonly snapshot: StreamSnapshot | null;
}

/** How much a container keeps (least recently used streams go first); anything dropped is read again when needed. */
export interface StreamCacheLimits {
  readonly maxStreams: number;
  /** Sum of the cached states' JSON sizes. */
  readonly maxBytes: number;
}

export const DEFAULT_STREAM_CACHE_LIMITS: StreamCacheLimits = Object.freeze({ maxStreams: 1024, maxBytes: 64 * 1024 * 1024 });

const NEW_STREAM: StreamPosition = Object.freeze({ revision: null, nextOffset: 0, snapshot: null });

interface Cached {
  readonly position: StreamPosition & { readonly revision: number };
  readonly bytes: number;
}

export class StreamStates {
  /** Key → entry, least recently used first (a Map keeps insertion order). */
  private readonly cache = new Map<string, Cached>();
  private bytes = 0;

  constructor(
    private readonly db: Db,
    private readonly limits: StreamCacheLimits = DEFAULT_STREAM_CACHE_LIMITS,
  ) {}

  /** How many streams are cached. */
  get size(): number {
    return this.cache.size;
  }

  /**
   * The position of every key, in one query: a cached state whose revision is still the stored one
   * is used as it is (only its revision is read); any other stream's row is read whole (a key
   * with no row is a new stream). `read` counts the states read. Throws InfrastructureError when
   * the read fails.
   */
  async positions(keys: readonly string[]): Promise<{ positions: Map<string, StreamPosition>; read: number }> {
    const held = new Map<string, Cached>();
    for (const key of keys) {
      const cached = this.cache.get(key);
      if (cached !== undefined) held.set(key, cached);
    }
    const stored = await readDetectorStreams(
      this.db,
      keys,
      new Map([...held].map(([key, cached]) => [key, cached.position.revision])),
    );
    const positions = new Map<string, StreamPosition>();
    let read = 0;
    for (const key of keys) {
      const row = stored.get(key);
      const cached = held.get(key);
      if (row === undefined) {
        // No row (a new stream, or one deleted by db:cleanup): whatever was cached is gone.
        if (cached !== undefined) this.drop(key, cached);
        positions.set(key, NEW_STREAM);
      } else if (row.unchanged) {
        // Only keys with a cached entry were sent with a revision, so `cached` is that entry.
        this.touch(key, cached!);
        positions.set(key, cached!.position);
      } else {
        const position = { revision: row.revision, nextOffset: row.nextOffset, snapshot: { modelVersion: row.modelVersion, state: row.state } };
        this.keep(key, { position, bytes: row.stateBytes });
        positions.set(key, position);
        read += 1;
      }
    }
    return { positions, read };
  }

  /**
   * After the commit: what the batch wrote becomes the streams' cached position. The state kept is
   * the stored JSON parsed back (not the object that was written), so this container starts the
   * next batch from exactly what any other container would read.
   */
  remember(rows: readonly StreamRow[]): void {
    for (const row of rows) {
      const revision = row.expectedRevision === null ? 0 : row.expectedRevision + 1;
      const cached = this.cache.get(row.key);
      // Never replace a newer position (a concurrent batch of this container committed later).
      if (cached !== undefined && cached.position.revision > revision) continue;
      const snapshot: StreamSnapshot = { modelVersion: row.modelVersion, state: JSON.parse(row.stateText) as unknown };
      this.keep(row.key, { position: { revision, nextOffset: row.nextOffset, snapshot }, bytes: row.stateBytes });
    }
  }

  /** Drops the keys' entries: their next use reads their state from PostgreSQL. */
  forget(keys: Iterable<string>): void {
    for (const key of keys) {
      const cached = this.cache.get(key);
      if (cached !== undefined) this.drop(key, cached);
    }
  }

  private drop(key: string, cached: Cached): void {
    if (this.cache.get(key) !== cached) return;
    this.cache.delete(key);
    this.bytes -= cached.bytes;
  }

  private touch(key: string, cached: Cached): void {
    if (this.cache.get(key) !== cached) return;
    this.cache.delete(key);
    this.cache.set(key, cached);
  }

  private keep(key: string, entry: Cached): void {
    this.forget([key]);
    this.cache.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldest, cached] of this.cache) {
      if (this.cache.size <= this.limits.maxStreams && this.bytes <= this.limits.maxBytes) break;
      if (oldest === key) continue;
      this.cache.delete(oldest);
      this.bytes -= cached.bytes;
    }
  }
}
