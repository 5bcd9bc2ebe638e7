import { ValidationError } from '../shared/errors.js';
import { parseKafkaEvent, type ParsedKafkaEvent } from '../shared/kafka/index.js';

/**
 * The detector's input: an MSK (`aws:kafka`, with eventSourceArn) or `SelfManagedKafka` event.
 * Throws ValidationError when the payload is not such an event at all (wrong source, no records
 * map, too many records); a single bad record never fails it — it comes back `{ ok: false }`.
 */
export function parseDetectorEvent(event: unknown): ParsedKafkaEvent {
  try {
    return parseKafkaEvent(event);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`the detector accepts only MSK (aws:kafka) or SelfManagedKafka events: ${error.message}`, { cause: error });
  }
}
