import type { VersionCodec } from '../protocol/api.js';
import type { ConnectionAuth } from '../auth/connection-auth.js';
import type { BrokerContext } from './context.js';

/** Per-request facts a handler may need besides the decoded body. */
export interface RequestContext {
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly connectionId: number;
  readonly remoteAddress: string;
  readonly broker: BrokerContext;
  /** The connection's SASL state (SaslHandshake/SaslAuthenticate drive it). */
  readonly auth: ConnectionAuth;
}

/**
 * One handler per API: the codecs of every version it implements, and the logic.
 * `handle` returns the response, or null when the protocol says no response is sent
 * (Produce with acks=0). It throws only for failures that should close the connection;
 * per-topic/partition problems are answered with error codes.
 */
export interface ApiHandler<Req = any, Res = any> {
  readonly apiKey: number;
  readonly name: string;
  readonly codecs: readonly VersionCodec<Req, Res>[];
  handle(request: Req, context: RequestContext): Promise<Res | null> | Res | null;
  /**
   * The response that reports `errorCode` for everything the request asked about (Kafka's
   * getErrorResponse). The connection answers it with UNKNOWN_SERVER_ERROR when `handle`
   * throws or its response cannot be encoded; without it the connection is closed instead.
   */
  errorResponse?(request: Req, errorCode: number, apiVersion: number): Res;
}
