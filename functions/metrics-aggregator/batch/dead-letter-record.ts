import type { DeadLetterPolicy } from '../../shared/dead-letters/kafka-record-dead-letter.js';

/** Who the aggregator's dead letters are from (dead_letters.component). */
export const aggregatorComponent = 'metrics-aggregator';

/**
 * Raw bytes kept per key, value and header value of a dead letter. Metric records are small
 * (at most 64 KiB); a refused record's first 16 KiB is enough to see what went wrong.
 */
export const maxDeadLetterBytes = 16 * 1024;

export const aggregatorDeadLetters: DeadLetterPolicy = { component: aggregatorComponent, maxRawBytes: maxDeadLetterBytes };
