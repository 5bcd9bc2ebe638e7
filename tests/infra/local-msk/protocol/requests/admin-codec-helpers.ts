import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { VersionCodec } from '../../../../../infra/local-msk/protocol/api.js';
import { Reader } from '../../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../../infra/local-msk/protocol/writer.js';

const requestsDir = fileURLToPath(new URL('../../../../../infra/local-msk/protocol/requests/', import.meta.url));
const require = createRequire(import.meta.url);

/** A committed hex fixture (`<api>/fixtures/<name>.hex`, whitespace ignored) as bytes. */
export function fixture(api: string, name: string): Buffer {
  return Buffer.from(readFileSync(`${requestsDir}${api}/fixtures/${name}.hex`, 'utf8').replace(/\s+/g, ''), 'hex');
}

/** Decodes a whole request body; returns the value and how many bytes were left unread. */
export function decodeRequest<Req>(codec: VersionCodec<Req, unknown>, body: Buffer): { request: Req; unread: number } {
  const reader = new Reader(body);
  const request = codec.decodeRequest(reader);
  return { request, unread: reader.remaining() };
}

export function encodeResponse<Res>(codec: VersionCodec<unknown, Res>, response: Res): Buffer {
  const writer = new Writer();
  codec.encodeResponse(writer, response);
  return writer.toBuffer();
}

/** kafkajs's own response module for an API version (its `decode` reads a response body). */
export function kafkajsResponse(api: string, version: number): { decode(body: Buffer): Promise<any>; parse(data: unknown): Promise<any> } {
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/response`);
}

/** kafkajs's own request builder for an API version. */
export function kafkajsRequest(api: string, version: number): (args: any) => { encode(): Promise<{ buffer: Buffer }> } {
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/request`);
}
