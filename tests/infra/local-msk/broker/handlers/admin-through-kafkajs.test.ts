import type { Admin, ITopicMetadata } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';

/** What kafkajs's admin rejects with when the broker answers a per-topic error code. */
async function errorTypes(promise: Promise<unknown>): Promise<string[]> {
  const error = (await promise.then(
    () => null,
    (failure: unknown) => failure,
  )) as { type?: string; errors?: { type?: string }[] } | null;
  if (error === null) return [];
  return error.errors ? error.errors.map((e) => e.type ?? 'untyped') : [error.type ?? 'untyped'];
}

describe('admin operations through kafkajs', () => {
  let broker: TestBroker;
  let admin: Admin;

  beforeAll(async () => {
    broker = await startTestBroker({ autoCreateTopics: false });
    admin = kafkaClient(broker).admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
    await broker?.close();
  });

  it('createTopics creates topics with their partition counts and configs, and listTopics shows them', async () => {
    // Act
    const created = await admin.createTopics({
      topics: [
        { topic: 'app-logs', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] },
        { topic: 'app-alerts' },
      ],
    });
    const topics = await admin.listTopics();
    const metadata = await admin.fetchTopicMetadata({ topics: ['app-logs', 'app-alerts'] });

    // Assess
    expect(created).toBe(true);
    expect(topics).toEqual(expect.arrayContaining(['app-logs', 'app-alerts']));
    const partitions = Object.fromEntries(metadata.topics.map((t: ITopicMetadata) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ 'app-logs': 3, 'app-alerts': broker.context.topics.options.defaultPartitions });
    expect(broker.context.topics.get('app-logs')?.settings.retentionMs).toBe(3_600_000);
  });

  it('createTopics returns false for a topic that already exists', async () => {
    // Prepare
    await admin.createTopics({ topics: [{ topic: 'already-there', numPartitions: 1 }] });

    // Act
    const created = await admin.createTopics({ topics: [{ topic: 'already-there', numPartitions: 4 }] });

    // Assess
    expect(created).toBe(false);
    expect(broker.context.topics.get('already-there')?.partitions).toHaveLength(1);
  });

  it.each([
    ['an invalid name', { topic: 'no spaces allowed' }, 'INVALID_TOPIC_EXCEPTION'],
    ['an unsupported config', { topic: 'compacted', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }, 'INVALID_CONFIG'],
    ['replication factor 3', { topic: 'replicated', replicationFactor: 3 }, 'INVALID_REPLICATION_FACTOR'],
  ])('createTopics rejects %s with %s', async (_case, topic, type) => {
    // Act
    const types = await errorTypes(admin.createTopics({ topics: [topic], waitForLeaders: false }));

    // Assess
    expect(types).toEqual([type]);
    expect(await admin.listTopics()).not.toContain(topic.topic);
  });

  it('createTopics with validateOnly creates nothing', async () => {
    // Act
    const answer = await admin.createTopics({ validateOnly: true, waitForLeaders: false, topics: [{ topic: 'only-checked', numPartitions: 2 }] });

    // Assess
    expect(answer).toBe(true);
    expect(await admin.listTopics()).not.toContain('only-checked');
  });

  it('deleteTopics removes the topic from listTopics', async () => {
    // Prepare
    await admin.createTopics({ topics: [{ topic: 'short-lived', numPartitions: 2 }] });

    // Act
    await admin.deleteTopics({ topics: ['short-lived'] });

    // Assess
    expect(await admin.listTopics()).not.toContain('short-lived');
    expect(broker.context.topics.get('short-lived')).toBeUndefined();
  });

  it("deleteTopics forgets the topic's committed offsets, so a topic recreated under its name starts fresh", async () => {
    // Prepare
    await admin.createTopics({ topics: [{ topic: 'reborn', numPartitions: 1 }] });
    await admin.setOffsets({ groupId: 'readers', topic: 'reborn', partitions: [{ partition: 0, offset: '5' }] });

    // Act
    await admin.deleteTopics({ topics: ['reborn'] });
    await admin.createTopics({ topics: [{ topic: 'reborn', numPartitions: 1 }] });
    const offsets = await admin.fetchOffsets({ groupId: 'readers', topics: ['reborn'] });

    // Assess
    expect(offsets).toEqual([{ topic: 'reborn', partitions: [expect.objectContaining({ partition: 0, offset: '-1' })] }]);
  });

  it('createPartitions grows a topic, visible in its metadata', async () => {
    // Prepare
    await admin.createTopics({ topics: [{ topic: 'widening', numPartitions: 1 }] });

    // Act
    await admin.createPartitions({ topicPartitions: [{ topic: 'widening', count: 4 }] });
    const metadata = await admin.fetchTopicMetadata({ topics: ['widening'] });

    // Assess
    expect(metadata.topics[0]?.partitions.map((p) => p.partitionId).sort()).toEqual([0, 1, 2, 3]);
  });

  it('createPartitions rejects a count that does not grow the topic', async () => {
    // Prepare
    await admin.createTopics({ topics: [{ topic: 'not-shrinking', numPartitions: 3 }] });

    // Act
    const types = await errorTypes(admin.createPartitions({ topicPartitions: [{ topic: 'not-shrinking', count: 2 }] }));

    // Assess
    expect(types).toEqual(['INVALID_PARTITIONS']);
  });
});

describe('idempotent producer through kafkajs', () => {
  let broker: TestBroker;
  const disconnect: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    broker = await startTestBroker();
  });

  afterEach(async () => {
    while (disconnect.length > 0) await disconnect.pop()!();
  });

  afterAll(async () => {
    await broker?.close();
  });

  it('gets a producer id from InitProducerId and produces with it', async () => {
    // Prepare
    const producer = kafkaClient(broker).producer({ idempotent: true, maxInFlightRequests: 1 });
    const requests: string[] = [];
    producer.on(producer.events.REQUEST, (event) => requests.push(event.payload.apiName));
    await producer.connect();
    disconnect.push(() => producer.disconnect());

    // Act
    const results = await producer.send({ topic: 'idempotent-writes', acks: -1, messages: [{ value: 'one' }, { value: 'two' }] });

    // Assess
    expect(requests).toContain('InitProducerId');
    expect(results.map((result) => result.errorCode)).toEqual(results.map(() => 0));
    const stored = broker.context.topics.get('idempotent-writes')!.partitions.reduce((sum, log) => sum + log.logEndOffset, 0);
    expect(stored).toBe(2);
  });
});
