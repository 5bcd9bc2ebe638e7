import type { DeadLetterPolicy } from '../shared/dead-letters/kafka-record-dead-letter.js';

/** Which component the detector's dead letters are filed under. */
export const DETECTOR_COMPONENT = 'detector';

/**
 * Most raw bytes kept per key or value of a dead letter (128 KiB). A decoded record is already
 * capped by parseKafkaEvent (64 KiB value, 4 KiB key); a record that could not be decoded is kept
 * as the JSON it arrived as, which for a 64 KiB value is about 88 KiB of base64.
 */
export const MAX_DEAD_LETTER_RAW_BYTES = 128 * 1024;

export const detectorDeadLetters: DeadLetterPolicy = { component: DETECTOR_COMPONENT, maxRawBytes: MAX_DEAD_LETTER_RAW_BYTES };
