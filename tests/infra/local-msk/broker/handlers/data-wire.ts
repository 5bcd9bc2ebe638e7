import { createRequire } from 'node:module';
import { ApiKey } from '../../../../../infra/local-msk/protocol/api-keys.js';
import { Writer } from '../../../../../infra/local-msk/protocol/writer.js';
import type { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';

const require = createRequire(import.meta.url);

export interface RawProduce {
  transactionalId?: string | null;
  acks?: number;
  topics: { name: string; partitions: { index: number; records: Buffer | null }[] }[];
}

/** A Produce v3-v7 request body carrying exactly the given record bytes. */
export function produceBody(request: RawProduce): Buffer {
  const writer = new Writer();
  writer.nullableString(request.transactionalId ?? null).int16(request.acks ?? -1).int32(30_000);
  writer.array(request.topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, partition) => {
      pw.int32(partition.index).nullableBytes(partition.records);
    });
  });
  return writer.toBuffer();
}

export interface ProducedPartition {
  partition: number;
  errorCode: number;
  baseOffset: string;
  logAppendTime: string;
  logStartOffset?: string;
}

/** Sends a Produce request and decodes the answer with kafkajs's decoder; one partition's result per entry. */
export async function produceRaw(client: RawKafkaClient, request: RawProduce, version = 7): Promise<ProducedPartition[]> {
  const body = await client.send(ApiKey.Produce, version, produceBody(request));
  const decoded = await require(`kafkajs/src/protocol/requests/produce/v${version}/response`).decode(body);
  return decoded.topics.flatMap((topic: { partitions: ProducedPartition[] }) => topic.partitions);
}

/** One produced batch to one partition; resolves with that partition's result. */
export async function produceBatch(client: RawKafkaClient, topic: string, partition: number, records: Buffer, options: Omit<RawProduce, 'topics'> = {}): Promise<ProducedPartition> {
  const [result] = await produceRaw(client, { ...options, topics: [{ name: topic, partitions: [{ index: partition, records }] }] });
  return result!;
}

/** Sends a request built by kafkajs's own encoder and decodes the answer with kafkajs's decoder. */
export async function kafkajsRequestOver(client: RawKafkaClient, api: string, version: number, args: unknown): Promise<any> {
  const request = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`)(args);
  const body = await client.send(request.apiKey, version, (await request.encode()).buffer);
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/response`).decode(body);
}

export interface FetchWanted {
  topic: string;
  partition: number;
  fetchOffset: number;
  maxBytes?: number;
}

/** A Fetch through kafkajs's request encoder (v4-v11) and response decoder. */
export function fetchRaw(
  client: RawKafkaClient,
  wanted: FetchWanted[],
  options: { version?: number; maxWaitTime?: number; minBytes?: number; maxBytes?: number; sessionId?: number } = {},
): Promise<any> {
  const topics = new Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>();
  for (const w of wanted) {
    const list = topics.get(w.topic) ?? [];
    list.push({ partition: w.partition, fetchOffset: String(w.fetchOffset), maxBytes: w.maxBytes ?? 1024 * 1024 });
    topics.set(w.topic, list);
  }
  return kafkajsRequestOver(client, 'fetch', options.version ?? 11, {
    replicaId: -1,
    maxWaitTime: options.maxWaitTime ?? 0,
    minBytes: options.minBytes ?? 1,
    maxBytes: options.maxBytes ?? 10 * 1024 * 1024,
    isolationLevel: 1,
    sessionId: options.sessionId ?? 0,
    topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
  });
}
