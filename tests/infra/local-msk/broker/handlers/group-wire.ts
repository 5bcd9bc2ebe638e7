import { createRequire } from 'node:module';
import type { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';

const require = createRequire(import.meta.url);

/** kafkajs's decoder for one response version (no `parse`: error codes stay values). */
export function kafkajsDecodeResponse(api: string, version: number, body: Buffer): Promise<any> {
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/response`).decode(body);
}

/**
 * Sends one group-API request over a raw connection, encoded by kafkajs's own request
 * builder for that version, and decodes the answer with kafkajs's response decoder.
 */
export async function kafkajsRoundTrip(client: RawKafkaClient, api: string, version: number, args: unknown): Promise<any> {
  const request = require(`kafkajs/src/protocol/requests/${api}/v${version}/request`)(args);
  const body: Buffer = (await request.encode()).buffer;
  return kafkajsDecodeResponse(api, version, await client.send(request.apiKey, version, body));
}
