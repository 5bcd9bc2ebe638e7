import type { AnomalyLabel, LogRecord } from '../../shared/log/index.js';
import type { GeneratedLog, LogGenerator } from '../generator/index.js';

export interface ReplayStamp {
  /** Stamped on records that carry none (as generated records are). */
  readonly experimentId?: string;
  readonly producerId?: string;
  /**
   * Prefix for the ids of records read from formats without ids of their own (`line-N`), so two
   * replays of one file do not collide; records of the synthetic format keep their ids.
   */
  readonly idPrefix?: string;
}

/**
 * A LogGenerator over the records of a file, in file order: the producer's send loop then paces
 * and batches a replay exactly like generated traffic. `next` returns the records one by one (its
 * clock argument is ignored: the file's timestamps are kept); the caller must not ask for more
 * than `length`.
 */
export function createReplaySource(records: readonly LogRecord[], labels: readonly AnomalyLabel[] | null, stamp: ReplayStamp = {}): LogGenerator & { readonly length: number } {
  let index = 0;
  return {
    length: records.length,
    get count() {
      return index;
    },
    next(): GeneratedLog {
      const source = records[index];
      if (source === undefined) throw new RangeError(`replay has ${records.length} records; record ${index + 1} was asked for`);
      const record: LogRecord = { ...source };
      if (stamp.idPrefix !== undefined && /^line-\d+$/.test(record.id)) record.id = `${stamp.idPrefix}-${record.id}`;
      if (record.experimentId === undefined && stamp.experimentId !== undefined) record.experimentId = stamp.experimentId;
      if (record.producerId === undefined && stamp.producerId !== undefined) record.producerId = stamp.producerId;
      const label = labels?.[index] ?? 'none';
      index += 1;
      return { record, label, key: record.service };
    },
  };
}
