import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { kafkajsRoundTrip } from './admin-wire.js';

interface TopicError {
  topic: string;
  errorCode: number;
  errorMessage?: string | null;
}

describe('CreateTopics handler', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ defaultPartitions: 2, maxPartitionsPerTopic: 50 });
  });

  afterAll(async () => {
    await broker?.close();
  });

  /** Sends CreateTopics at `version` (v3 unless given) and returns the per-topic results by name. */
  async function createTopics(args: { topics: unknown[]; validateOnly?: boolean }, version = 3): Promise<Record<string, TopicError>> {
    const response = await kafkajsRoundTrip(broker.bootstrap, 'createTopics', version, { timeout: 1000, validateOnly: false, ...args });
    return Object.fromEntries(response.topicErrors.map((result: TopicError) => [result.topic, result]));
  }

  it.each([0, 1, 2, 3])('v%i creates a topic with its partitions and configs', async (version) => {
    // Prepare
    const name = `created-v${version}`;

    // Act
    const results = await createTopics(
      { topics: [{ topic: name, numPartitions: 4, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '60000' }] }] },
      version,
    );

    // Assess
    expect(results[name]?.errorCode).toBe(ErrorCode.NONE);
    if (version >= 1) expect(results[name]?.errorMessage).toBeNull();
    const topic = broker.context.topics.get(name);
    expect(topic?.partitions).toHaveLength(4);
    expect(topic?.configs).toEqual({ 'retention.ms': '60000' });
    expect(topic?.settings.retentionMs).toBe(60000);
  });

  it('uses the broker default for num_partitions -1 and replication_factor -1', async () => {
    // Act
    const results = await createTopics({ topics: [{ topic: 'defaults', numPartitions: -1, replicationFactor: -1 }] });

    // Assess
    expect(results.defaults?.errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.topics.get('defaults')?.partitions).toHaveLength(2);
  });

  it.each([3, 2, 0, -2])('refuses replication factor %i: a single-node emulator has one replica', async (replicationFactor) => {
    // Prepare
    const name = `replicated-${replicationFactor + 10}`;

    // Act
    const results = await createTopics({ topics: [{ topic: name, numPartitions: 1, replicationFactor }] });

    // Assess
    expect(results[name]?.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(results[name]?.errorMessage).toMatch(/single-node emulator/);
    expect(broker.context.topics.get(name)).toBeUndefined();
  });

  it.each([
    ['bad/name', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['..', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['x'.repeat(250), ErrorCode.INVALID_TOPIC_EXCEPTION],
  ])('refuses the invalid name %s', async (name, code) => {
    // Act
    const results = await createTopics({ topics: [{ topic: name, numPartitions: 1 }] });

    // Assess
    expect(results[name]?.errorCode).toBe(code);
    expect(results[name]?.errorMessage).toMatch(/invalid topic name/);
  });

  it.each([
    [[{ name: 'cleanup.policy', value: 'compact' }], /cleanup\.policy/],
    [[{ name: 'retention.ms', value: 'soon' }], /retention\.ms/],
    [[{ name: 'unclean.leader.election.enable', value: 'true' }], /unknown or unsupported topic config/],
    [[{ name: 'retention.ms', value: undefined }], /null value/],
    [[{ name: 'retention.ms', value: '1000' }, { name: 'retention.ms', value: '2000' }], /more than once/],
  ])('refuses configs %j with INVALID_CONFIG and a message', async (configEntries, message) => {
    // Act
    const results = await createTopics({ topics: [{ topic: 'badly-configured', numPartitions: 1, configEntries }] });

    // Assess
    expect(results['badly-configured']?.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(results['badly-configured']?.errorMessage).toMatch(message);
    expect(broker.context.topics.get('badly-configured')).toBeUndefined();
  });

  it.each([0, -5, 51])('refuses %i partitions with INVALID_PARTITIONS', async (numPartitions) => {
    // Act
    const results = await createTopics({ topics: [{ topic: 'odd-partitions', numPartitions }] });

    // Assess
    expect(results['odd-partitions']?.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(results['odd-partitions']?.errorMessage).toMatch(/between 1 and 50/);
  });

  it('validate_only checks everything and creates nothing', async () => {
    // Act
    const results = await createTopics({
      validateOnly: true,
      topics: [
        { topic: 'dry-run-ok', numPartitions: 3, configEntries: [{ name: 'retention.bytes', value: '1048576' }] },
        { topic: 'dry-run-bad', numPartitions: 3, configEntries: [{ name: 'compression.type', value: 'zstd' }] },
      ],
    });

    // Assess
    expect(results['dry-run-ok']?.errorCode).toBe(ErrorCode.NONE);
    expect(results['dry-run-bad']?.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(broker.context.topics.get('dry-run-ok')).toBeUndefined();
    expect(broker.context.topics.get('dry-run-bad')).toBeUndefined();
  });

  it('answers TOPIC_ALREADY_EXISTS for an existing topic, also under validate_only', async () => {
    // Prepare
    await createTopics({ topics: [{ topic: 'existing', numPartitions: 1 }] });

    // Act
    const again = await createTopics({ topics: [{ topic: 'existing', numPartitions: 5 }] });
    const dryRun = await createTopics({ validateOnly: true, topics: [{ topic: 'existing', numPartitions: 5 }] });

    // Assess
    expect(again.existing?.errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(again.existing?.errorMessage).toMatch(/already exists/);
    expect(dryRun.existing?.errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect(broker.context.topics.get('existing')?.partitions).toHaveLength(1);
  });

  it('answers INVALID_REQUEST once for a name given twice and creates neither', async () => {
    // Act
    const response = await kafkajsRoundTrip(broker.bootstrap, 'createTopics', 3, {
      timeout: 1000,
      validateOnly: false,
      topics: [{ topic: 'twice', numPartitions: 1 }, { topic: 'once', numPartitions: 1 }, { topic: 'twice', numPartitions: 2 }],
    });

    // Assess
    expect(response.topicErrors).toEqual([
      { topic: 'once', errorCode: ErrorCode.NONE, errorMessage: null },
      { topic: 'twice', errorCode: ErrorCode.INVALID_REQUEST, errorMessage: expect.stringMatching(/more than once/) },
    ]);
    expect(broker.context.topics.get('twice')).toBeUndefined();
    expect(broker.context.topics.get('once')).toBeDefined();
  });

  it('accepts manual assignments that put every partition on this node', async () => {
    // Prepare
    const nodeId = broker.context.identity.nodeId;

    // Act
    const results = await createTopics({
      topics: [{ topic: 'placed', replicaAssignment: [{ partition: 1, replicas: [nodeId] }, { partition: 0, replicas: [nodeId] }] }],
    });

    // Assess
    expect(results.placed?.errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.topics.get('placed')?.partitions).toHaveLength(2);
  });

  it.each([
    ['another broker', { replicaAssignment: [{ partition: 0, replicas: [2] }] }, /only valid assignment is \[1\]/],
    ['two replicas', { replicaAssignment: [{ partition: 0, replicas: [1, 1] }] }, /only valid assignment/],
    ['no replica', { replicaAssignment: [{ partition: 0, replicas: [] }] }, /only valid assignment/],
    ['a gap in the partitions', { replicaAssignment: [{ partition: 0, replicas: [1] }, { partition: 2, replicas: [1] }] }, /exactly once/],
    ['a repeated partition', { replicaAssignment: [{ partition: 0, replicas: [1] }, { partition: 0, replicas: [1] }] }, /exactly once/],
    ['a count that disagrees', { numPartitions: 3, replicaAssignment: [{ partition: 0, replicas: [1] }] }, /num_partitions is 3/],
  ])('refuses assignments with %s as INVALID_REPLICA_ASSIGNMENT', async (_case, topic, message) => {
    // Act
    const results = await createTopics({ topics: [{ topic: 'misplaced', ...topic }] });

    // Assess
    expect(results.misplaced?.errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(results.misplaced?.errorMessage).toMatch(message);
    expect(broker.context.topics.get('misplaced')).toBeUndefined();
  });

  it('reports each topic of a mixed request on its own', async () => {
    // Act
    const results = await createTopics({
      topics: [
        { topic: 'mixed-ok', numPartitions: 1 },
        { topic: 'mixed-bad', numPartitions: 1, replicationFactor: 3 },
      ],
    });

    // Assess
    expect(results['mixed-ok']?.errorCode).toBe(ErrorCode.NONE);
    expect(results['mixed-bad']?.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(broker.context.topics.get('mixed-ok')).toBeDefined();
  });

  it('v0 carries error codes without messages', async () => {
    // Act
    const results = await createTopics({ topics: [{ topic: 'v0-rf', numPartitions: 1, replicationFactor: 3 }] }, 0);

    // Assess
    expect(results['v0-rf']).toEqual({ topic: 'v0-rf', errorCode: ErrorCode.INVALID_REPLICATION_FACTOR });
  });
});
