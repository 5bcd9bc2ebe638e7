import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { kafkajsRoundTrip } from './admin-wire.js';

interface TopicError {
  topic: string;
  errorCode: number;
  errorMessage: string | null;
}

describe('CreatePartitions handler', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker({ maxPartitionsPerTopic: 20 });
  });

  afterAll(async () => {
    await broker?.close();
  });

  async function createPartitions(topicPartitions: unknown[], validateOnly = false, version = 1): Promise<Record<string, TopicError>> {
    const response = await kafkajsRoundTrip(broker.bootstrap, 'createPartitions', version, { topicPartitions, validateOnly, timeout: 1000 });
    return Object.fromEntries(response.topicErrors.map((result: TopicError) => [result.topic, result]));
  }

  it.each([0, 1])('v%i grows a topic to the new total count', async (version) => {
    // Prepare
    const name = `growing-v${version}`;
    await broker.context.topics.create(name, 1);

    // Act
    const results = await createPartitions([{ topic: name, count: 3 }], false, version);

    // Assess
    expect(results[name]).toEqual({ topic: name, errorCode: ErrorCode.NONE, errorMessage: null });
    expect(broker.context.topics.get(name)?.partitions).toHaveLength(3);
  });

  it.each([2, 1])('refuses a count of %i for a 2-partition topic with INVALID_PARTITIONS and a message', async (count) => {
    // Prepare
    await broker.context.topics.create(`stuck-${count}`, 2);

    // Act
    const results = await createPartitions([{ topic: `stuck-${count}`, count }]);

    // Assess
    expect(results[`stuck-${count}`]?.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(results[`stuck-${count}`]?.errorMessage).toMatch(/must be larger/);
    expect(broker.context.topics.get(`stuck-${count}`)?.partitions).toHaveLength(2);
  });

  it('refuses a count above the broker limit', async () => {
    // Prepare
    await broker.context.topics.create('too-wide', 1);

    // Act
    const results = await createPartitions([{ topic: 'too-wide', count: 21 }]);

    // Assess
    expect(results['too-wide']?.errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for an unknown topic', async () => {
    // Act
    const results = await createPartitions([{ topic: 'nowhere', count: 4 }]);

    // Assess
    expect(results.nowhere?.errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('validate_only checks and changes nothing', async () => {
    // Prepare
    await broker.context.topics.create('dry-growth', 1);

    // Act
    const results = await createPartitions([{ topic: 'dry-growth', count: 5 }], true);

    // Assess
    expect(results['dry-growth']?.errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.topics.get('dry-growth')?.partitions).toHaveLength(1);
  });

  it('accepts assignments that put each new partition on this node', async () => {
    // Prepare
    await broker.context.topics.create('placed-growth', 1);

    // Act
    const results = await createPartitions([{ topic: 'placed-growth', count: 3, assignments: [[1], [1]] }]);

    // Assess
    expect(results['placed-growth']?.errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.topics.get('placed-growth')?.partitions).toHaveLength(3);
  });

  it.each([
    ['another broker', [[1], [2]], /only valid assignment/],
    ['too few assignments', [[1]], /by 2 but 1 assignments/],
    ['two replicas', [[1, 2], [1]], /only valid assignment/],
  ])('refuses assignments with %s as INVALID_REPLICA_ASSIGNMENT', async (_case, assignments, message) => {
    // Prepare
    const name = `misplaced-${String(_case).replace(/ /g, '-')}`;
    await broker.context.topics.create(name, 1);

    // Act
    const results = await createPartitions([{ topic: name, count: 3, assignments }]);

    // Assess
    expect(results[name]?.errorCode).toBe(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    expect(results[name]?.errorMessage).toMatch(message);
    expect(broker.context.topics.get(name)?.partitions).toHaveLength(1);
  });

  it('answers INVALID_REQUEST once for a topic given twice and leaves it unchanged', async () => {
    // Prepare
    await broker.context.topics.create('twice-grown', 1);

    // Act
    const response = await kafkajsRoundTrip(broker.bootstrap, 'createPartitions', 1, {
      topicPartitions: [{ topic: 'twice-grown', count: 2 }, { topic: 'twice-grown', count: 3 }],
      validateOnly: false,
      timeout: 1000,
    });

    // Assess
    expect(response.topicErrors).toEqual([
      { topic: 'twice-grown', errorCode: ErrorCode.INVALID_REQUEST, errorMessage: expect.stringMatching(/more than once/) },
    ]);
    expect(broker.context.topics.get('twice-grown')?.partitions).toHaveLength(1);
  });
});

describe('CreatePartitions handler with file storage (real I/O between steps)', () => {
  let broker: TestBroker;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-msk-create-partitions-'));
    broker = await startTestBroker({ dataDir });
  });

  afterAll(async () => {
    await broker?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serializes concurrent requests from different connections: only one grows the topic to 3', async () => {
    // Prepare
    await broker.context.topics.create('contended', 1);
    const grow = () =>
      kafkajsRoundTrip(broker.bootstrap, 'createPartitions', 1, { topicPartitions: [{ topic: 'contended', count: 3 }], validateOnly: false, timeout: 1000 });

    // Act
    const responses = await Promise.all([grow(), grow()]);

    // Assess
    const codes = responses.map((response) => response.topicErrors[0].errorCode).sort((a: number, b: number) => a - b);
    expect(codes).toEqual([ErrorCode.NONE, ErrorCode.INVALID_PARTITIONS]);
    expect(broker.context.topics.get('contended')?.partitions).toHaveLength(3);
  });
});
