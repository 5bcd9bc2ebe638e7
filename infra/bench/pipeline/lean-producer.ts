import { connect, type Socket } from 'node:net';
import { Writer } from '../../local-msk/protocol/writer.js';
import { encodeLeanBatch, type LeanRecord } from './lean-batch.js';

/**
 * The benchmark's load generator on the wire: Produce v3 requests (acks = -1) over one socket,
 * one RecordBatch v2 per partition, pipelined. It exists so that the load generator costs a few µs
 * per record instead of kafkajs's ~17 µs, which on a 2-core machine would otherwise take a quarter
 * of the CPU the pipeline under test needs. It talks to one broker (the local MSK is one node).
 * Any error code in a response rejects that send: the bench reports it, it never retries.
 */
export class LeanProducer {
  private correlationId = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  private pending: Buffer = Buffer.alloc(0);
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket, private readonly clientId: string) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the broker closed the connection')));
  }

  /** Connects to "host:port". */
  static connect(bootstrap: string, clientId = 'bench-pipeline'): Promise<LeanProducer> {
    const separator = bootstrap.lastIndexOf(':');
    const host = bootstrap.slice(0, separator);
    const port = Number(bootstrap.slice(separator + 1));
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true }, () => {
        socket.off('error', reject);
        resolve(new LeanProducer(socket, clientId));
      });
      socket.once('error', reject);
    });
  }

  /**
   * Sends each partition's records as one batch stamped `timestampMs` (CreateTime) in one
   * Produce request; resolves when the broker has acknowledged every partition (acks = -1).
   */
  send(topic: string, partitions: ReadonlyMap<number, readonly LeanRecord[]>, timestampMs: number): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const correlationId = (this.correlationId = (this.correlationId + 1) | 0);
    const body = new Writer(256);
    body.int16(0).int16(3).int32(correlationId).nullableString(this.clientId); // request header v1: Produce v3
    body.nullableString(null).int16(-1).int32(30_000); // transactional_id, acks, timeout_ms
    body.int32(1).string(topic).int32(partitions.size);
    for (const [partition, records] of partitions) {
      body.int32(partition).bytes(encodeLeanBatch(records, timestampMs));
    }
    const frame = new Writer(4).int32(body.length).toBuffer();
    return new Promise((resolve, reject) => {
      this.waiting.set(correlationId, { resolve, reject });
      this.socket.cork();
      this.socket.write(frame);
      for (const chunk of body.toChunks()) this.socket.write(chunk);
      this.socket.uncork();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 4) {
      const size = this.pending.readInt32BE(0);
      if (this.pending.length < 4 + size) return;
      this.onResponse(this.pending.subarray(4, 4 + size));
      this.pending = this.pending.subarray(4 + size);
    }
  }

  /** Produce Response v3 => correlation_id [topic [partition error_code base_offset log_append_time]] throttle_time_ms */
  private onResponse(response: Buffer): void {
    const correlationId = response.readInt32BE(0);
    const waiter = this.waiting.get(correlationId);
    if (waiter === undefined) return;
    this.waiting.delete(correlationId);
    let at = 4;
    const topics = response.readInt32BE(at);
    at += 4;
    for (let t = 0; t < topics; t++) {
      at += 2 + response.readInt16BE(at);
      const count = response.readInt32BE(at);
      at += 4;
      for (let p = 0; p < count; p++) {
        const partition = response.readInt32BE(at);
        const errorCode = response.readInt16BE(at + 4);
        at += 4 + 2 + 8 + 8;
        if (errorCode !== 0) {
          waiter.reject(new Error(`produce to partition ${partition} failed with Kafka error code ${errorCode}`));
          return;
        }
      }
    }
    waiter.resolve();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }
}
