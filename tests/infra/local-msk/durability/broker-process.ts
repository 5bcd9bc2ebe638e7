/**
 * A local MSK run as a real child process (`npm run kafka`'s entry point) on one data
 * directory, restarted and killed as a test needs, plus the few raw requests the durability
 * tests read the broker's answers with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiKey } from '../../../../infra/local-msk/protocol/api-keys.js';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from '../../../helpers/cli-process.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { fetchRaw, kafkajsRequestOver, produceBody } from '../broker/handlers/data-wire.js';
import { kafkajsRoundTrip } from '../broker/handlers/group-wire.js';

export class BrokerProcess {
  /** Null for an in-memory broker. */
  readonly dataDir: string | null;
  running: ReadyBroker | null = null;
  private readonly clients: RawKafkaClient[] = [];

  constructor(storage: 'file' | 'memory') {
    this.dataDir = storage === 'file' ? mkdtempSync(join(tmpdir(), 'local-msk-durability-')) : null;
  }

  /** Starts the broker (on the data directory, if any) with extra CLI arguments and environment. */
  async start(args: string[] = [], env: Record<string, string> = {}): Promise<ReadyBroker> {
    const storage = this.dataDir === null ? ['--in-memory'] : ['--data-dir', this.dataDir];
    this.running = await startLocalMskProcess(['--port', '0', '--no-control-plane', ...storage, ...args], env);
    return this.running;
  }

  get bootstrap(): string {
    if (!this.running) throw new Error('broker is not running');
    return this.running.bootstrap;
  }

  /** Everything the running broker printed on stderr so far. */
  stderr(): string {
    return this.running?.stderr() ?? '';
  }

  /** A raw protocol connection, closed by `cleanUp` (or by the broker going away). */
  async connect(): Promise<RawKafkaClient> {
    const client = await RawKafkaClient.connect(this.bootstrap);
    this.clients.push(client);
    return client;
  }

  /** SIGKILL: no flush, no clean-up, as a crash. */
  async kill(): Promise<void> {
    await this.stopWith('SIGKILL');
  }

  /** SIGTERM: a clean stop. */
  async stop(): Promise<void> {
    await this.stopWith('SIGTERM');
  }

  async cleanUp(): Promise<void> {
    if (this.running) await this.kill();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const running = this.running;
    this.running = null;
    if (!running) return;
    if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill(signal);
    await waitForExit(running.child);
    for (const client of this.clients.splice(0)) await client.closed;
  }
}

/** ListOffsets latest (-1): the offset the broker tells consumers the partition ends at. */
export async function latestOffset(client: RawKafkaClient, topic: string, partition = 0): Promise<number> {
  const response = await kafkajsRequestOver(client, 'listOffsets', 1, {
    replicaId: -1,
    isolationLevel: 1,
    topics: [{ topic, partitions: [{ partition, timestamp: -1 }] }],
  });
  return Number(response.responses[0].partitions[0].offset);
}

export interface FetchedPartition {
  errorCode: number;
  highWatermark: number;
  /** Offset and value text of every record served. */
  records: [number, string][];
}

/** One Fetch (no waiting) of `partition` from `offset`. */
export async function fetchFrom(client: RawKafkaClient, topic: string, offset: number, partition = 0): Promise<FetchedPartition> {
  const response = await fetchRaw(client, [{ topic, partition, fetchOffset: offset }]);
  const answer = response.responses[0].partitions[0];
  return {
    errorCode: answer.errorCode,
    highWatermark: Number(answer.highWatermark),
    records: answer.messages.map((message: any) => [Number(message.offset), message.value.toString()]),
  };
}

/** Sends a Produce with acks=0: no answer comes; a later request on the same connection is handled after it. */
export function produceWithoutAnswer(client: RawKafkaClient, topic: string, records: Buffer, partition = 0): void {
  client.sendWithoutResponse(ApiKey.Produce, 7, produceBody({ acks: 0, topics: [{ name: topic, partitions: [{ index: partition, records }] }] }));
}

/** Commits `offset` for `groupId` outside group management (generation -1), as admin tools do; resolves with the error code. */
export async function commitOffset(client: RawKafkaClient, groupId: string, topic: string, offset: number, partition = 0): Promise<number> {
  const response = await kafkajsRoundTrip(client, 'offsetCommit', 2, {
    groupId,
    groupGenerationId: -1,
    memberId: '',
    retentionTime: -1,
    topics: [{ topic, partitions: [{ partition, offset: String(offset) }] }],
  });
  return response.responses[0].partitions[0].errorCode;
}

/** The offset `groupId` committed on the partition (-1: none). */
export async function committedOffset(client: RawKafkaClient, groupId: string, topic: string, partition = 0): Promise<number> {
  const response = await kafkajsRoundTrip(client, 'offsetFetch', 1, { groupId, topics: [{ topic, partitions: [{ partition }] }] });
  return Number(response.responses[0].partitions[0].offset);
}
