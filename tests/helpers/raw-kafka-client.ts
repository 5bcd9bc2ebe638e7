import { connect, type Socket } from 'node:net';

/**
 * A tiny Kafka-protocol client for tests that need exact bytes on the wire: it frames
 * `int32 size` + request header v1 (api key, version, correlation id, client id) + body,
 * and matches responses to requests by correlation id. Nothing is interpreted beyond the
 * framing, so tests can send anything (corrupt batches, unknown versions, garbage).
 *
 *   const client = await RawKafkaClient.connect(broker.bootstrap);
 *   const body = await client.send(ApiKey.Metadata, 1, requestBody); // response body after the correlation id
 *   await client.close();
 */
export class RawKafkaClient {
  private nextCorrelationId = 1;
  private readonly waiting = new Map<number, { resolve: (body: Buffer) => void; reject: (error: Error) => void }>();
  private received: Buffer = Buffer.alloc(0);
  private isClosed = false;
  /** Correlation ids of responses no request was waiting for (e.g. an answer to acks=0). */
  readonly unmatchedResponses: number[] = [];
  /** Resolves once the socket has closed (by either side). Never rejects. */
  readonly closed: Promise<void>;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string | null,
  ) {
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        for (const { reject } of this.waiting.values()) reject(new Error('connection closed before the response arrived'));
        this.waiting.clear();
        resolve();
      });
    });
    socket.on('error', () => {
      // 'close' follows and fails whatever is pending.
    });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
  }

  /** Connects to `host:port`. */
  static connect(bootstrap: string, options: { clientId?: string | null } = {}): Promise<RawKafkaClient> {
    const separator = bootstrap.lastIndexOf(':');
    const host = bootstrap.slice(0, separator);
    const port = Number(bootstrap.slice(separator + 1));
    return new Promise((resolve, reject) => {
      const socket = connect(port, host, () => {
        socket.off('error', reject);
        resolve(new RawKafkaClient(socket, options.clientId === undefined ? 'raw-kafka-client' : options.clientId));
      });
      socket.once('error', reject);
    });
  }

  /** Whether the socket has closed. */
  get closedYet(): boolean {
    return this.isClosed;
  }

  /** Sends a request and resolves with the response body (the bytes after the correlation id). */
  send(apiKey: number, apiVersion: number, body: Buffer): Promise<Buffer> {
    const correlationId = this.write(apiKey, apiVersion, body);
    return new Promise((resolve, reject) => {
      if (this.isClosed) {
        reject(new Error('connection is closed'));
        return;
      }
      this.waiting.set(correlationId, { resolve, reject });
    });
  }

  /**
   * Sends a request of a flexible version (request header v2: a TAG_BUFFER after the client id) and
   * resolves with the bytes after the correlation id: the response header's TAG_BUFFER, then the body.
   */
  sendFlexible(apiKey: number, apiVersion: number, body: Buffer): Promise<Buffer> {
    return this.send(apiKey, apiVersion, Buffer.concat([Buffer.of(0), body]));
  }

  /** Sends a request that gets no response (e.g. Produce with acks=0); returns its correlation id. */
  sendWithoutResponse(apiKey: number, apiVersion: number, body: Buffer): number {
    return this.write(apiKey, apiVersion, body);
  }

  /** Writes arbitrary bytes (no framing added). */
  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The framed request: size, header v1, body. */
  static frame(apiKey: number, apiVersion: number, correlationId: number, clientId: string | null, body: Buffer): Buffer {
    const id = clientId === null ? null : Buffer.from(clientId, 'utf8');
    const header = Buffer.alloc(10 + (id?.length ?? 0));
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(id === null ? -1 : id.length, 8);
    id?.copy(header, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length, 0);
    return Buffer.concat([size, header, body]);
  }

  /** Half-closes: sends FIN after whatever was written, keeps reading until the broker closes. */
  end(): void {
    this.socket.end();
  }

  /** Closes the socket and waits until it is closed. */
  async close(): Promise<void> {
    this.socket.end();
    this.socket.destroy();
    await this.closed;
  }

  private write(apiKey: number, apiVersion: number, body: Buffer): number {
    const correlationId = this.nextCorrelationId++;
    this.socket.write(RawKafkaClient.frame(apiKey, apiVersion, correlationId, this.clientId, body));
    return correlationId;
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    while (this.received.length >= 4) {
      const size = this.received.readInt32BE(0);
      if (this.received.length < 4 + size) return;
      const correlationId = this.received.readInt32BE(4);
      const body = this.received.subarray(8, 4 + size);
      this.received = this.received.subarray(4 + size);
      const pending = this.waiting.get(correlationId);
      if (pending) {
        this.waiting.delete(correlationId);
        pending.resolve(body);
      } else {
        this.unmatchedResponses.push(correlationId);
      }
    }
  }
}
