import { Writer } from '../../infra/local-msk/protocol/writer.js';
import { ApiKey } from '../../infra/local-msk/protocol/api-keys.js';
import type { RawKafkaClient } from './raw-kafka-client.js';

/** SaslHandshake v1 (mechanism) then SaslAuthenticate v1 with `token`; resolves with the error code and message, or null if the broker closed. */
export async function rawSaslAttempt(client: RawKafkaClient, mechanism: string, token: Buffer): Promise<{ errorCode: number; errorMessage: string | null } | null> {
  const handshake = await client.send(ApiKey.SaslHandshake, 1, new Writer().string(mechanism).toBuffer()).catch(() => null);
  if (handshake === null || handshake.readInt16BE(0) !== 0) return handshake === null ? null : { errorCode: handshake.readInt16BE(0), errorMessage: null };
  const response = await client.send(ApiKey.SaslAuthenticate, 1, new Writer().bytes(token).toBuffer()).catch(() => null);
  if (response === null) return null;
  const errorCode = response.readInt16BE(0);
  const length = response.readInt16BE(2);
  return { errorCode, errorMessage: length < 0 ? null : response.subarray(4, 4 + length).toString('utf8') };
}
