import type { BrokerContext } from '../context.js';

/** The tail of each broker's admin-operation chain. */
const tails = new WeakMap<BrokerContext, Promise<unknown>>();

/**
 * Runs topic-changing admin requests (CreateTopics, DeleteTopics, CreatePartitions) of one
 * broker one at a time, across connections, so that e.g. two concurrent CreatePartitions
 * for one topic cannot both open the same new partitions, or a deletion interleave with
 * growth. Admin requests are rare; serializing them costs nothing that matters.
 */
export function serializeAdmin<T>(broker: BrokerContext, operation: () => Promise<T>): Promise<T> {
  const previous = tails.get(broker) ?? Promise.resolve();
  const result = previous.then(operation, operation);
  tails.set(broker, result.catch(() => undefined));
  return result;
}
