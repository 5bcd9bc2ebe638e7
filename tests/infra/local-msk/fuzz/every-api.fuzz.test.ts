import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allHandlers } from '../../../../infra/local-msk/broker/handlers/index.js';
import { ApiKey } from '../../../../infra/local-msk/protocol/api-keys.js';
import { kafkaClient } from '../../../helpers/broker.js';
import { hostileFrame, type HostileFrame, type HostileTarget } from '../../../helpers/hostile-requests.js';
import { requestGrammar } from '../../../helpers/kafka-request-grammar.js';
import { LocalMskProcess } from '../../../helpers/local-msk-process.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { commitOffsetsRaw } from '../../../helpers/raw-offset-commit.js';
import { readTopicRecords } from '../../../helpers/topic-records.js';
import { probeCommittedOffsets, probeMetadata } from '../../../helpers/wire-probe.js';

/**
 * Property: no request, however hostile, takes the broker down or damages what it stores.
 * Every registered API version gets seeded runs of requests built from its grammar with
 * values at and beyond their limits (32767-byte and non-UTF-8 strings, a 32,740-byte client
 * id, nulls where not allowed, negative and unbacked array counts, truncated bodies, frames
 * that never finish, absurd frame sizes). Each run goes to a real broker process and is
 * followed by a Metadata request that must be answered; at the end the broker is restarted
 * and the records and group offsets stored before the fuzzing must be intact.
 */

const runsPerVersion = 20;
const maxFrameBytes = 4 * 1024 * 1024;
const protectedTopic = 'precious';
const protectedGroup = 'precious-group';
const storedValues = Array.from({ length: 20 }, (_, index) => `stored-${index}`);
const committedOffsets = [
  { partition: 0, offset: 7 },
  { partition: 1, offset: 3 },
];
/** What fuzzed requests may name: their own topic and group, never the protected ones. */
const ordinaryNames = { topics: ['fuzz-scratch'], groups: ['fuzz-group'] };
/** APIs whose requests a broker may rightly hold (long-poll, rebalance): runs do not wait for their answer. */
const apisThatMayWait = new Set<number>([ApiKey.Fetch, ApiKey.JoinGroup, ApiKey.SyncGroup]);

describe('the broker survives any request: fuzzing every API and version through a real process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-msk-fuzz-'));
  let broker: LocalMskProcess;

  beforeAll(async () => {
    broker = await LocalMskProcess.start([
      '--port', '0', '--no-control-plane', '--data-dir', dataDir,
      '--initial-rebalance-delay-ms', '0', '--max-frame-bytes', String(maxFrameBytes),
    ]);
    const kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: protectedTopic, numPartitions: 2 }, { topic: 'fuzz-scratch', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: protectedTopic, acks: -1, messages: storedValues.map((value, index) => ({ value, partition: index % 2 })) });
    await producer.disconnect();
    const commit = await commitOffsetsRaw(broker.bootstrap, protectedGroup, protectedTopic, committedOffsets);
    expect(commit.responses[0]!.partitions.map((partition) => partition.errorCode)).toEqual([0, 0]);
  });

  afterAll(async () => {
    await broker?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends one hostile frame on its own connection and waits until the broker is done with it. */
  async function send(frame: HostileFrame, apiKey: number): Promise<void> {
    const client = await RawKafkaClient.connect(broker.bootstrap);
    try {
      client.sendRaw(frame.bytes);
      let done: Promise<unknown>;
      if (frame.endsConnection) {
        client.end();
        done = client.closed;
      } else {
        // Requests on one connection are answered in order, so an answered ApiVersions after
        // the frame means the broker has finished with it (or it closed the connection).
        done = client.send(ApiKey.ApiVersions, 0, Buffer.alloc(0)).catch(() => undefined);
      }
      if (frame.endsConnection || !apisThatMayWait.has(apiKey)) await done;
    } finally {
      await client.close();
    }
  }

  async function expectBrokerAnswersMetadata(): Promise<void> {
    const [topic] = await probeMetadata(broker.bootstrap, [protectedTopic]);
    expect(topic).toMatchObject({ topicErrorCode: 0, topic: protectedTopic });
    expect(topic!.partitionMetadata).toHaveLength(2);
  }

  const apis = allHandlers.map((handler) => [handler.name, handler] as const);

  it.each(apis)('%s: every version keeps the broker answering', async (name, handler) => {
    const versions = handler.codecs.map((codec) => codec.version);
    for (const { version, flexible } of handler.codecs) {
      const target: HostileTarget = {
        apiKey: handler.apiKey,
        version,
        unsupportedVersion: Math.max(...versions) + 1,
        flexible: flexible === true,
        grammar: requestGrammar(name, version),
        maxFrameBytes,
      };
      const frames = hostileFrame(target, ordinaryNames).map((frame) => describedFrame(frame, name, version));
      await fc.assert(
        fc.asyncProperty(frames, async (frame) => {
          // Prepare: a broker that something earlier took down is started again, so that later
          // runs still test, but this run fails: nothing may end the broker.
          const previousEnd = await broker.ensureRunning();
          if (previousEnd !== null) throw new Error(`the broker had exited before this run: ${previousEnd}`);

          try {
            // Act
            await send(frame, handler.apiKey);

            // Assess
            await expectBrokerAnswersMetadata();
          } catch (error) {
            throw await broker.explain(error);
          }
        }),
        { seed: 0x15_0001 + handler.apiKey * 100 + version, numRuns: runsPerVersion, endOnFailure: true },
      );
    }
  });

  it('still holds the records and group offsets stored before the fuzzing after a restart', async () => {
    // Prepare
    expect(broker.exited, broker.describeExit()).toBe(false);

    // Act
    await broker.restart();

    // Assess
    const records = await readTopicRecords(kafkaClient(broker), protectedTopic, storedValues.length);
    expect(records.map((record) => String(record.value)).sort()).toEqual([...storedValues].sort());
    const offsets = await probeCommittedOffsets(broker.bootstrap, protectedGroup, protectedTopic, [0, 1]);
    expect(offsets.responses[0]!.partitions.map(({ partition, offset, errorCode }) => ({ partition, offset: Number(offset), errorCode }))).toEqual(
      committedOffsets.map(({ partition, offset }) => ({ partition, offset, errorCode: 0 })),
    );
  });
});

/** The frame with a short description, so a failure report does not print kilobytes of bytes. */
function describedFrame(frame: HostileFrame, api: string, version: number): HostileFrame {
  const summary = `${api} v${version} ${frame.kind}: ${frame.bytes.length} bytes, starting ${frame.bytes.subarray(0, 24).toString('hex')}`;
  return Object.assign(frame, { [fc.toStringMethod]: () => summary });
}
