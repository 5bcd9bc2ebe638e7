import { z } from 'zod';
import { loadTopicConfig } from '../shared/config/kafka-config.js';
import { boolean, integer, kafkaTopic } from '../shared/config/env-schemas.js';
import { EnvReader, type Env, type VariableSchema } from '../shared/config/env.js';

/** How the metrics aggregator samples consumer lag. */
export interface MetricsAggregatorConfig {
  /** LAG_SAMPLING: take one consumer-lag sample per batch (default true). */
  readonly lagSampling: boolean;
  /** LAG_TOPICS: topics whose consumer lag is sampled; default KAFKA_TOPIC (the logs topic, "logs"). */
  readonly lagTopics: readonly string[];
  /**
   * LAG_CONSUMER_GROUPS: the groups to sample, in the order given. null (unset) means discovery:
   * every group that has a committed offset on one of the lag topics.
   */
  readonly lagConsumerGroups: readonly string[] | null;
  /** LAG_MAX_GROUPS: at most this many groups are examined per sample when discovering (default 50). */
  readonly lagMaxGroups: number;
}

export const maxListedGroups = 100;
export const maxLagTopics = 20;

/**
 * A consumer group id in LAG_CONSUMER_GROUPS: 1–255 printable ASCII characters, no spaces or commas
 * (Kafka allows any string; these ids become row values and log fields).
 */
const groupIdPattern = /^[!-+\--~]{1,255}$/;

function commaList<T>(item: (entry: string) => T | null, what: string, maxEntries: number): VariableSchema<T[]> {
  return z.string().transform((text, context) => {
    const entries = text.split(',').map((entry) => entry.trim());
    const fail = (message: string) => {
      context.issues.push({ code: 'custom', message, input: text });
      return z.NEVER;
    };
    if (entries.length > maxEntries) return fail(`must list at most ${maxEntries} entries`);
    const values: T[] = [];
    for (const [index, entry] of entries.entries()) {
      const value = item(entry);
      if (value === null) return fail(`must be a comma-separated list of ${what}; entry ${index + 1} is not one`);
      values.push(value);
    }
    return [...new Set(values)];
  });
}

const topicSchema = kafkaTopic();
const topicList = commaList((entry) => (topicSchema.safeParse(entry).success ? entry : null), 'Kafka topic names', maxLagTopics);
const groupList = commaList(
  (entry) => (groupIdPattern.test(entry) ? entry : null),
  'consumer group ids (printable characters, no spaces or commas, at most 255 each)',
  maxListedGroups,
);

/**
 * Reads the aggregator's own variables. KAFKA_TOPIC and METRICS_TOPIC are read (and checked) by
 * loadTopicConfig; EXPERIMENT_ID by loadMetricsConfig; the database and brokers by their loaders.
 */
export function loadMetricsAggregatorConfig(env: Env): MetricsAggregatorConfig {
  const { logsTopic } = loadTopicConfig(env);
  const reader = new EnvReader(env, 'metrics aggregator');
  const lagSampling = reader.read('LAG_SAMPLING', boolean(), true);
  const lagTopics = reader.read('LAG_TOPICS', topicList, [logsTopic]);
  const lagConsumerGroups = reader.read('LAG_CONSUMER_GROUPS', groupList) ?? null;
  const lagMaxGroups = reader.read('LAG_MAX_GROUPS', integer(1, 1_000), 50);
  return reader.finish(() => ({
    lagSampling,
    lagTopics: Object.freeze(lagTopics),
    lagConsumerGroups: lagConsumerGroups && Object.freeze(lagConsumerGroups),
    lagMaxGroups,
  }));
}
