import type { Admin } from 'kafkajs';
import { InfrastructureError, PipelineError } from '../../shared/errors.js';
import { partitionLag, type PartitionLog } from './partition-lag.js';

/** The four kafkajs admin calls lag sampling uses (a connected kafkajs Admin satisfies it). */
export type LagAdmin = Pick<Admin, 'listTopics' | 'listGroups' | 'fetchOffsets' | 'fetchTopicOffsets'>;

export interface LagTarget {
  readonly topics: readonly string[];
  /** Groups to sample; null: every group with a committed offset on one of the topics. */
  readonly groups: readonly string[] | null;
  /** When discovering, at most this many groups (the first by id) are examined. */
  readonly maxGroups: number;
}

export interface ConsumerLagReading {
  readonly groupId: string;
  readonly topic: string;
  readonly partition: number;
  readonly currentOffset: number;
  readonly logEndOffset: number;
  readonly lag: number;
}

export interface LagReport {
  /** Sorted by group, topic, partition. */
  readonly readings: readonly ConsumerLagReading[];
  /** Lag topics the cluster does not have (no readings for them). */
  readonly missingTopics: readonly string[];
  /** Groups listed by the broker but not examined because of maxGroups. */
  readonly groupsLeftOut: number;
}

/**
 * Reads every sampled group's committed offsets against the log offsets of each lag topic, one
 * reading per (group, topic, partition). Missing topics are reported, not created. Any admin
 * failure (broker unreachable, timeout, coordinator not available) becomes an InfrastructureError;
 * PipelineErrors (e.g. a ConfigError while creating the client) pass through unchanged.
 */
export async function readConsumerLag(admin: LagAdmin, target: LagTarget): Promise<LagReport> {
  try {
    return await readLag(admin, target);
  } catch (error) {
    // Our own errors (a ConfigError from the client set-up, an InfrastructureError below) pass through.
    if (error instanceof PipelineError) throw error;
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new InfrastructureError(`consumer lag: the Kafka admin API failed (${detail})`, { cause: error });
  }
}

async function readLag(admin: LagAdmin, target: LagTarget): Promise<LagReport> {
  const existing = new Set(await admin.listTopics());
  const topics = target.topics.filter((topic) => existing.has(topic));
  const missingTopics = target.topics.filter((topic) => !existing.has(topic));
  if (topics.length === 0) return { readings: [], missingTopics, groupsLeftOut: 0 };

  const logs = new Map<string, PartitionLog[]>();
  await Promise.all(
    topics.map(async (topic) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      const partitions = offsets.map((entry) => ({
        partition: entry.partition,
        logStartOffset: brokerOffset(entry.low, `log start offset of ${topic}-${entry.partition}`),
        logEndOffset: brokerOffset(entry.high, `log end offset of ${topic}-${entry.partition}`),
      }));
      logs.set(topic, partitions.sort((a, b) => a.partition - b.partition));
    }),
  );

  let candidates = target.groups === null ? null : [...target.groups];
  let groupsLeftOut = 0;
  if (candidates === null) {
    const listed = [...new Set((await admin.listGroups()).groups.map((group) => group.groupId))].sort();
    candidates = listed.slice(0, target.maxGroups);
    groupsLeftOut = listed.length - candidates.length;
  }
  const committed = await Promise.all(candidates.map((groupId) => committedOffsets(admin, groupId, topics)));

  const readings: ConsumerLagReading[] = [];
  for (const [index, groupId] of candidates.entries()) {
    const offsets = committed[index]!;
    // Discovery keeps the groups that consume a lag topic; configured groups are always sampled.
    if (target.groups === null && ![...offsets.values()].some((offset) => offset >= 0)) continue;
    for (const topic of topics) {
      for (const log of logs.get(topic)!) {
        const lag = partitionLag(offsets.get(`${topic}\u0000${log.partition}`) ?? -1, log);
        readings.push({ groupId, topic, partition: log.partition, ...lag });
      }
    }
  }
  readings.sort((a, b) => compareText(a.groupId, b.groupId) || compareText(a.topic, b.topic) || a.partition - b.partition);
  return { readings, missingTopics, groupsLeftOut };
}

/** Committed offsets keyed "<topic>\0<partition>"; -1 where the group has none. */
async function committedOffsets(admin: LagAdmin, groupId: string, topics: string[]): Promise<Map<string, number>> {
  const response = await admin.fetchOffsets({ groupId, topics });
  const offsets = new Map<string, number>();
  for (const topic of response) {
    for (const entry of topic.partitions) {
      offsets.set(`${topic.topic}\u0000${entry.partition}`, brokerOffset(entry.offset, `committed offset of ${groupId} on ${topic.topic}-${entry.partition}`, true));
    }
  }
  return offsets;
}

/** A broker-reported offset as a number; -1 stands for "none" where `noneAllowed`. */
function brokerOffset(text: string, what: string, noneAllowed = false): number {
  const value = /^-?\d{1,19}$/.test(text) ? Number(text) : NaN;
  if (noneAllowed && value < 0) return -1;
  if (!Number.isSafeInteger(value) || value < 0) throw new InfrastructureError(`consumer lag: the broker reported ${what} as ${JSON.stringify(String(text).slice(0, 24))}, not an offset from 0 to 2^53`);
  return value;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
