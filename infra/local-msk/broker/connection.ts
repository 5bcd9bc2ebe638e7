import type { Socket } from 'node:net';
import { MalformedRequestError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ApiKey, apiName } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { Reader } from '../protocol/reader.js';
import { decodeRequestHeader, type RequestHeader } from '../protocol/request-header.js';
import { encode as encodeApiVersionsV0 } from '../protocol/requests/apiVersions/v0/response.js';
import { Writer } from '../protocol/writer.js';
import type { BrokerContext } from './context.js';
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
 * Any frame that cannot be understood closes the connection with exactly one log line;
 * other connections are unaffected.
 */
export class Connection {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly queue: Buffer[] = [];
  private processing = false;
  private closed = false;

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
        await this.process(frame);
      }
    } finally {
      this.processing = false;
      if (!this.closed) this.socket.setTimeout(this.limits.idleTimeoutMs);
    }
  }

  private async process(frame: Buffer): Promise<void> {
    const reader = new Reader(frame);
    let header: RequestHeader;
    try {
      header = decodeRequestHeader(reader);
    } catch (error) {
      this.fail('malformed request header', { error: (error as Error).message });
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
        this.respond(header.correlationId, (writer) =>
          encodeApiVersionsV0(writer, {
            errorCode: ErrorCode.UNSUPPORTED_VERSION,
            apiKeys: this.registry.versionRanges(),
            throttleTimeMs: 0,
          }),
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
    let request: unknown;
    try {
      request = found.codec.decodeRequest(reader);
    } catch (error) {
      if (!(error instanceof MalformedRequestError)) throw error;
      this.fail('malformed request', { api: apiName(header.apiKey), apiVersion: header.apiVersion, error: error.message });
      return;
    }
    let response: unknown;
    try {
      response = await found.handler.handle(request, {
        apiVersion: header.apiVersion,
        correlationId: header.correlationId,
        clientId: header.clientId,
        connectionId: this.id,
        remoteAddress: this.remoteAddress,
        broker: this.broker,
      });
    } catch (error) {
      this.logger.error('request failed', {
        connection: this.id,
        api: apiName(header.apiKey),
        apiVersion: header.apiVersion,
        error: (error as Error).message,
      });
      this.close();
      return;
    }
    if (response === null) return;
    this.respond(header.correlationId, (writer) => found.codec.encodeResponse(writer, response));
  }

  /** Writes `int32 size` + response header v0 (correlation id) + body. */
  private respond(correlationId: number, encodeBody: (writer: Writer) => void): void {
    if (this.closed) return;
    const writer = new Writer();
    writer.int32(0); // size placeholder, patched below
    writer.int32(correlationId);
    encodeBody(writer);
    const chunks = writer.toChunks();
    chunks[0]!.writeInt32BE(writer.length - 4, 0);
    this.socket.cork();
    for (const chunk of chunks) this.socket.write(chunk);
    this.socket.uncork();
  }
}
