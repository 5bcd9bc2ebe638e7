import { createRequire } from 'node:module';
import { ApiKey } from '../../infra/local-msk/protocol/api-keys.js';
import { Writer } from '../../infra/local-msk/protocol/writer.js';
import { RawKafkaClient } from './raw-kafka-client.js';

const require = createRequire(import.meta.url);

/**
 * One-request probes of a broker over a fresh raw connection, decoded with kafkajs's own
 * response decoders (which keep error codes as values): what a test asks a broker it may
 * have abused, without a client library's retries hiding a failure.
 */

export interface ProbedTopic {
  topicErrorCode: number;
  topic: string;
  partitionMetadata: { partitionErrorCode: number; partitionId: number }[];
}

export interface ProbedGroup {
  groupId: string;
  protocolType: string;
}

export interface ProbedOffsets {
  responses: { topic: string; partitions: { partition: number; offset: string; metadata: string | null; errorCode: number }[] }[];
}

/** Metadata v1 for the given topics (never auto-creates an existing one, so safe to repeat). */
export async function probeMetadata(bootstrap: string, topics: string[]): Promise<ProbedTopic[]> {
  const body = new Writer().array(topics, (writer, topic) => writer.string(topic)).toBuffer();
  const decoded = await roundTrip(bootstrap, ApiKey.Metadata, 1, 'metadata', body);
  return decoded.topicMetadata as ProbedTopic[];
}

/** ListGroups v1: every group the broker knows. */
export async function probeGroups(bootstrap: string): Promise<{ errorCode: number; groups: ProbedGroup[] }> {
  return roundTrip(bootstrap, ApiKey.ListGroups, 1, 'listGroups', Buffer.alloc(0));
}

/** OffsetFetch v1: the committed offsets of a group for the given partitions. */
export async function probeCommittedOffsets(bootstrap: string, groupId: string, topic: string, partitions: number[]): Promise<ProbedOffsets> {
  const body = new Writer()
    .string(groupId)
    .array([topic], (writer, name) => writer.string(name).array(partitions, (w, partition) => w.int32(partition)))
    .toBuffer();
  return roundTrip(bootstrap, ApiKey.OffsetFetch, 1, 'offsetFetch', body);
}

async function roundTrip(bootstrap: string, apiKey: number, version: number, api: string, body: Buffer): Promise<any> {
  const client = await RawKafkaClient.connect(bootstrap);
  try {
    const response = await client.send(apiKey, version, body);
    return await require(`kafkajs/src/protocol/requests/${api}/v${version}/response`).decode(response);
  } finally {
    await client.close();
  }
}
