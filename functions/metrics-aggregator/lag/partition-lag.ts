/** One partition's offsets at the log: [logStartOffset, logEndOffset). */
export interface PartitionLog {
  readonly partition: number;
  /** The first offset still held (ListOffsets earliest). */
  readonly logStartOffset: number;
  /** The offset the next record will get (ListOffsets latest; the "high watermark"). */
  readonly logEndOffset: number;
}

/** What one group's position on one partition means for the consumer_lag table. */
export interface PartitionLag {
  /** The committed offset (the next record the group will read), or -1 when the group has committed none. */
  readonly currentOffset: number;
  readonly logEndOffset: number;
  /** Records behind the log end; never negative. */
  readonly lag: number;
}

/**
 * The lag policy, in one place:
 * - committed offset c ≥ 0: lag = log end − c, as Kafka's kafka-consumer-groups tool reports it
 *   (also when c is below the log start because retention removed records; 0 when c is past the end);
 * - nothing committed: current_offset = -1 and lag = log end − log start, the records a group
 *   starting from the earliest offset (the event-source mapping's TRIM_HORIZON) still has to read.
 *   Rows with current_offset = -1 say "no commit yet"; filter them out to get Kafka's own view,
 *   which leaves such lag undefined.
 */
export function partitionLag(committedOffset: number, log: PartitionLog): PartitionLag {
  if (committedOffset < 0) {
    return { currentOffset: -1, logEndOffset: log.logEndOffset, lag: Math.max(0, log.logEndOffset - log.logStartOffset) };
  }
  return { currentOffset: committedOffset, logEndOffset: log.logEndOffset, lag: Math.max(0, log.logEndOffset - committedOffset) };
}
