import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MappingLogger } from '../../../infra/event-source-mapping/logger.js';
import type { MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { committedOffsets, recordingFunction, runnerFor, waitFor } from './runner-harness.js';

let broker: TestBroker;
let kafka: Kafka;
let producer: Producer;
const runners: MappingRunner[] = [];

beforeAll(async () => {
  broker = await startTestBroker({ initialRebalanceDelayMs: 0 });
  kafka = kafkaClient(broker);
  producer = kafka.producer();
  await producer.connect();
});

afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop();
});

afterAll(async () => {
  await producer?.disconnect();
  await broker?.close();
});

/** Every line the runner logs, info and error alike. */
function capturingLogger(): MappingLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => void lines.push(message), error: (message) => void lines.push(message) };
}

describe('commits refused by a rebalance', () => {
  it('drops the commit and redelivers after the rejoin, without restarting the consumer', async () => {
    // Prepare
    const topic = 'rebalanced';
    const groupId = `esm-test-test-detector-${topic}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await producer.send({ topic, messages: ['r0', 'r1', 'r2'].map((value) => ({ value })) });
    // While the first batch is being invoked, the coordinator drops the runner's member from the
    // group (as when its session expires or a LeaveGroup names it): the generation moves on, so the
    // batch's commit is refused (UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION) before kafkajs notices.
    const fn = recordingFunction((_payload, call) => {
      if (call !== 1) return;
      const members = broker.context.groups.describeGroup(groupId).members.map((member) => ({ memberId: member.memberId, groupInstanceId: null }));
      broker.context.groups.leaveGroup(groupId, members);
    });
    const logger = capturingLogger();
    const runner = runnerFor({ broker, kafka, logger, invoke: fn.invoke, msk: { topic, batchSize: 3, maximumBatchingWindow: 60 } });
    runners.push(runner);
    // Act
    await runner.start();
    await waitFor('the commit past all three records', async () => (await committedOffsets(kafka, groupId, topic))[0] === 3);
    // Assess: delivered again after the rejoin (at least once), and the consumer was never restarted
    expect(fn.values()).toEqual(['r0', 'r1', 'r2', 'r0', 'r1', 'r2']);
    expect(logger.lines.filter((line) => line.includes('commit refused by a group rebalance'))).toHaveLength(1);
    expect(logger.lines.some((line) => line.includes('restarting the consumer') || line.includes('consumer crashed'))).toBe(false);
  });
});
