import type { Socket } from 'node:net';
import { ConnectionAuth } from '../auth/connection-auth.js';
import { MalformedRequestError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ApiKey, apiName } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Reader } from '../protocol/reader.js';
import { decodeRequestHeader, type RequestHeader } from '../protocol/request-header.js';
import { encode as encodeApiVersionsV0 } from '../protocol/requests/apiVersions/v0/response.js';
import { Writer } from '../protocol/writer.js';
import type { VersionCodec } from '../protocol/api.js';
import type { BrokerContext } from './context.js';
import type { ApiHandler } from './handler.js';
import type { ApiRegistry } from './registry.js';

export interface ConnectionLimits {
  /** Largest request frame accepted, in bytes (the size prefix excluded). */
  maxFrameBytes: number;
  /** A connection with no request in flight and no bytes received for this long is closed (ms). */
  idleTimeoutMs: number;
  /** Frames queued beyond this pause reading from the socket (backpressure). */
  maxQueuedFrames: number;
}

/**
 * One client connection. Frames are `int32 size` + request; requests are processed one
 * at a time in arrival order and answered in that order, as a Kafka broker does.
 * Any frame that cannot be understood closes the connection with exactly one log line.
 * A handler that throws, or a response that cannot be encoded, is answered with the API's
 * UNKNOWN_SERVER_ERROR response or closes the connection (again one log line). Nothing a
 * client sends can end the process; other connections are unaffected.
 */
export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;
  /** SASL state: which requests may be served yet (see auth/connection-auth.ts). */
  private readonly auth: ConnectionAuth;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly registry: ApiRegistry,
    private readonly broker: BrokerContext,
    private readonly limits: ConnectionLimits,
    private readonly logger: Logger,
    private readonly onClose: (connection: Connection) => void,
  ) {
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    this.auth = new ConnectionAuth(broker.auth);
    socket.setNoDelay(true);
    socket.setTimeout(limits.idleTimeoutMs);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('timeout', () => this.fail('closing idle connection', { idleTimeoutMs: limits.idleTimeoutMs }));
    socket.on('end', () => {
      if (this.pendingBytes > 0) this.fail('connection ended inside a frame', { bytes: this.pendingBytes });
      else this.close();
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  readonly remoteAddress: string;

  /** Closes the connection without logging (shutdown, peer gone). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroy();
    this.onClose(this);
  }

  private fail(reason: string, fields: Record<string, unknown> = {}): void {
    if (this.closed) return;
    this.logger.warn(reason, { connection: this.id, remote: this.remoteAddress, ...fields });
    this.close();
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    while (this.pendingBytes >= 4) {
      const head = this.pending[0]!.length >= 4 ? this.pending[0]! : this.joinPending();
      const size = head.readInt32BE(0);
      if (size < 0 || size > this.limits.maxFrameBytes) {
        this.fail('rejected frame: size outside limits', { size, maxFrameBytes: this.limits.maxFrameBytes });
        return;
      }
      if (this.pendingBytes < 4 + size) break;
      const all = this.joinPending();
      this.queue.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingBytes = rest.length;
    }
    if (this.queue.length > this.limits.maxQueuedFrames) this.socket.pause();
    void this.drain();
  }

  private joinPending(): Buffer {
    const joined = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [joined];
    return joined;
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    this.socket.setTimeout(0);
    try {
      while (!this.closed && this.queue.length > 0) {
        const frame = this.queue.shift()!;
        if (this.queue.length <= this.limits.maxQueuedFrames && this.socket.isPaused()) this.socket.resume();
        try {
          await this.process(frame);
        } catch (error) {
          // process() contains every failure it expects; this is the last line of defence,
          // so that nothing a client sends can become an unhandled rejection (which ends the process).
          this.fail('request could not be processed', { error: errorText(error) });
        }
      }
    } finally {
      this.processing = false;
      if (!this.closed) this.socket.setTimeout(this.limits.idleTimeoutMs);
    }
  }

  private async process(frame: Buffer): Promise<void> {
    if (this.auth.expectsBareToken) {
      this.processBareToken(frame);
      return;
    }
    const reader = new Reader(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(reader);
    } catch (error) {
      this.fail('malformed request header', { error: errorText(error) });
      return;
    }
    if (!this.auth.allows(header.apiKey)) {
      // Kafka's SASL listener closes a connection that sends anything else before authenticating.
      this.fail('request refused before SASL authentication', { api: apiName(header.apiKey), apiVersion: header.apiVersion });
      return;
    }
    const found = this.registry.lookup(header.apiKey, header.apiVersion);
    if (found.kind === 'unknown-api') {
      this.fail('unknown API key', { apiKey: header.apiKey, apiVersion: header.apiVersion });
      return;
    }
    if (found.kind === 'unsupported-version') {
      if (header.apiKey === ApiKey.ApiVersions) {
        // KIP-511: answer in version 0 with UNSUPPORTED_VERSION and our ranges so the client steps down.
        this.send(
          this.frameResponse(header.correlationId, (writer) =>
            encodeApiVersionsV0(writer, {
              errorCode: ErrorCode.UNSUPPORTED_VERSION,
              apiKeys: this.registry.versionRanges(),
              throttleTimeMs: 0,
            }),
          ),
        );
        return;
      }
      this.fail('unsupported API version', {
        api: apiName(header.apiKey),
        apiVersion: header.apiVersion,
        supported: `${found.range.minVersion}-${found.range.maxVersion}`,
      });
      return;
    }
    const flexible = found.codec.flexible === true;
    if (flexible) {
      try {
        reader.skipTaggedFields(); // request header v2's TAG_BUFFER: no header tag means anything here
      } catch (error) {
        this.fail('malformed request header', { api: apiName(header.apiKey), apiVersion: header.apiVersion, error: errorText(error) });
        return;
      }
    }
    // ApiVersions answers with response header v0 in every version, flexible or not, so any client can read it.
    const responseHeaderV1 = flexible && header.apiKey !== ApiKey.ApiVersions;
    let request: unknown;
    try {
      request = found.codec.decodeRequest(reader);
    } catch (error) {
      const reason = error instanceof MalformedRequestError ? 'malformed request' : 'request could not be decoded';
      this.fail(reason, { api: apiName(header.apiKey), apiVersion: header.apiVersion, error: errorText(error) });
      return;
    }
    const call: FailedCall = { header, handler: found.handler, codec: found.codec, request, responseHeaderV1 };
    let response: unknown;
    try {
      response = await found.handler.handle(request, {
        apiVersion: header.apiVersion,
        correlationId: header.correlationId,
        clientId: header.clientId,
        connectionId: this.id,
        remoteAddress: this.remoteAddress,
        broker: this.broker,
        auth: this.auth,
      });
    } catch (error) {
      this.answerFailure(call, 'request failed', error);
      return;
    }
    if (response === null || this.closed) return;
    let chunks: Buffer[];
    try {
      chunks = this.frameResponse(header.correlationId, (writer) => found.codec.encodeResponse(writer, response), responseHeaderV1);
    } catch (error) {
      this.answerFailure(call, 'response could not be encoded', error);
      return;
    }
    this.send(chunks);
    if (this.auth.closeAfterResponse) this.closeAfterFlush();
  }

  /**
   * A bare SASL token (after SaslHandshake v0): no request header, and the answer is the
   * server's token in a bare `int32 size` frame. A refused token closes the connection with no
   * answer, as Kafka does for this old framing.
   */
  private processBareToken(token: Buffer): void {
    const mechanism = this.auth.mechanism;
    const outcome = this.auth.authenticate(token, true);
    const fields = { connection: this.id, remote: this.remoteAddress, mechanism };
    if (outcome.errorCode !== ErrorCode.NONE) {
      this.fail('SASL authentication refused', { ...fields, reason: outcome.errorMessage });
      return;
    }
    if (outcome.principal !== undefined) this.logger.info('client authenticated', { ...fields, principal: outcome.principal });
    const size = Buffer.alloc(4);
    size.writeInt32BE(outcome.bytes.length, 0);
    this.send([size, outcome.bytes]);
  }

  /** Sends what is queued on the socket, then closes (a refused authentication's answer must arrive). */
  private closeAfterFlush(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.socket.destroySoon();
    this.onClose(this);
  }

  /**
   * A handler threw or its response could not be encoded. As Kafka does, answer the API's
   * error response with UNKNOWN_SERVER_ERROR when the handler defines one and it encodes;
   * otherwise close this connection. Either way exactly one log line, and no other
   * connection is affected.
   */
  private answerFailure(call: FailedCall, reason: string, error: unknown): void {
    if (this.closed) return;
    let chunks: Buffer[] | null = null;
    try {
      const errorResponse = call.handler.errorResponse?.(call.request, ErrorCode.UNKNOWN_SERVER_ERROR, call.header.apiVersion);
      if (errorResponse !== undefined) {
        chunks = this.frameResponse(call.header.correlationId, (writer) => call.codec.encodeResponse(writer, errorResponse), call.responseHeaderV1);
      }
    } catch {
      chunks = null; // the error response cannot be sent either: close instead
    }
    this.logger.error(reason, {
      connection: this.id,
      remote: this.remoteAddress,
      api: apiName(call.header.apiKey),
      apiVersion: call.header.apiVersion,
      error: errorText(error),
      outcome: chunks ? 'answered UNKNOWN_SERVER_ERROR' : 'connection closed',
    });
    if (chunks) this.send(chunks);
    else this.close();
  }

  /**
   * `int32 size` + response header v0 (correlation id), or v1 (correlation id + empty TAG_BUFFER)
   * for a flexible version, + body, fully encoded before anything is sent, so a body that cannot
   * be encoded leaves nothing half-written on the socket.
   */
  private frameResponse(correlationId: number, encodeBody: (writer: Writer) => void, headerV1 = false): Buffer[] {
    const writer = new Writer();
    writer.int32(0); // size placeholder, patched below
    writer.int32(correlationId);
    if (headerV1) writer.emptyTaggedFields();
    encodeBody(writer);
    const chunks = writer.toChunks();
    chunks[0]!.writeInt32BE(writer.length - 4, 0);
    return chunks;
  }

  private send(chunks: readonly Buffer[]): void {
    if (this.closed) return;
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }
}

/** What a failed request was, for its error answer and log line. */
interface FailedCall {
  header: RequestHeader;
  handler: ApiHandler;
  codec: VersionCodec<unknown, unknown>;
  request: unknown;
  /** Whether the answer takes response header v1 (a flexible version). */
  responseHeaderV1: boolean;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
