import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { VersionCodec } from '../../../../../infra/local-msk/protocol/api.js';
import { Reader } from '../../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../../infra/local-msk/protocol/writer.js';

// Fixtures were produced once by generate-group-fixtures.cjs (kafkajs encoders) and are committed as hex.
const requestsDir = fileURLToPath(new URL('../../../../../infra/local-msk/protocol/requests/', import.meta.url));
const require = createRequire(import.meta.url);

/** `<api>/fixtures/v<version>-<kind>.hex` as bytes (whitespace ignored). */
export function groupFixture(api: string, version: number, kind: 'request' | 'response'): Buffer {
  return Buffer.from(readFileSync(`${requestsDir}${api}/fixtures/v${version}-${kind}.hex`, 'utf8').replace(/\s+/g, ''), 'hex');
}

/** Decodes a whole request body and checks nothing is left over. */
export function decodeWhole<Req>(codec: VersionCodec<Req, unknown>, body: Buffer): { request: Req; unread: number } {
  const reader = new Reader(body);
  const request = codec.decodeRequest(reader);
  return { request, unread: reader.remaining() };
}

export function encodeBody<Res>(codec: VersionCodec<unknown, Res>, response: Res): Buffer {
  const writer = new Writer();
  codec.encodeResponse(writer, response);
  return writer.toBuffer();
}

/** kafkajs's decoder for a response version (an independent reading of our bytes). */
export function kafkajsDecode(api: string, version: number, body: Buffer): Promise<any> {
  return require(`kafkajs/src/protocol/requests/${api}/v${version}/response`).decode(body);
}
