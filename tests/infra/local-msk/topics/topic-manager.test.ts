import { beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../infra/local-msk/clock.js';
import { defaultBrokerConfig } from '../../../../infra/local-msk/config.js';
import { KafkaProtocolError } from '../../../../infra/local-msk/errors.js';
import { createMemoryLogger } from '../../../../infra/local-msk/logger.js';
import { ErrorCode } from '../../../../infra/local-msk/protocol/error-codes.js';
import { MemoryStorage } from '../../../../infra/local-msk/storage/memory/memory-storage.js';
import { TopicManager } from '../../../../infra/local-msk/topics/topic-manager.js';

async function rejection(promise: Promise<unknown>): Promise<KafkaProtocolError> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(KafkaProtocolError);
  return error as KafkaProtocolError;
}

describe('TopicManager', () => {
  let storage: MemoryStorage;
  let topics: TopicManager;

  beforeEach(async () => {
    storage = new MemoryStorage();
    topics = new TopicManager(storage, { ...defaultBrokerConfig, maxPartitionsPerTopic: 50 }, systemClock, createMemoryLogger());
    await topics.load();
  });

  it('creates a topic with its partitions and persists it', async () => {
    // Act
    const topic = await topics.create('logs', 4, { 'retention.ms': '60000' });

    // Assess
    expect(topic?.partitions).toHaveLength(4);
    expect(topic?.settings.retentionMs).toBe(60000);
    expect(topic?.topicId).toHaveLength(16);
    expect(await storage.loadTopics()).toEqual([expect.objectContaining({ name: 'logs', partitionCount: 4, configs: { 'retention.ms': '60000' } })]);
  });

  it('reloads persisted topics with the same id', async () => {
    // Prepare
    const created = await topics.create('logs', 2);
    const reloaded = new TopicManager(storage, defaultBrokerConfig, systemClock, createMemoryLogger());

    // Act
    await reloaded.load();

    // Assess
    expect(reloaded.get('logs')?.topicId.equals(created!.topicId)).toBe(true);
    expect(reloaded.get('logs')?.partitions).toHaveLength(2);
  });

  it.each([
    ['', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['.', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['..', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['../../etc/passwd', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['a/b', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['x'.repeat(250), ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['<script>', ErrorCode.INVALID_TOPIC_EXCEPTION],
    ['logs\u0000', ErrorCode.INVALID_TOPIC_EXCEPTION],
  ])('rejects the topic name %j', async (name, code) => {
    // Act
    const error = await rejection(topics.create(name, 1));

    // Assess
    expect(error.code).toBe(code);
    expect(topics.list()).toHaveLength(0);
  });

  it('rejects bad partition counts, duplicate names and bad configs with their error codes', async () => {
    // Prepare
    await topics.create('logs', 1);

    // Act / Assess
    expect((await rejection(topics.create('logs', 1))).code).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    expect((await rejection(topics.create('a', 0))).code).toBe(ErrorCode.INVALID_PARTITIONS);
    expect((await rejection(topics.create('a', 51))).code).toBe(ErrorCode.INVALID_PARTITIONS);
    expect((await rejection(topics.create('a', 1, { 'retention.ms': 'soon' }))).code).toBe(ErrorCode.INVALID_CONFIG);
    expect((await rejection(topics.create('a', 1, { 'cleanup.policy': 'compact' }))).code).toBe(ErrorCode.INVALID_CONFIG);
    expect((await rejection(topics.create('a', 1, { 'no.such.config': '1' }))).message).toMatch(/unknown or unsupported topic config "no.such.config"/);
    expect(topics.get('a')).toBeUndefined();
  });

  it('uses the default partition count for -1 and for auto-creation', async () => {
    // Act
    const explicit = await topics.create('explicit', -1);
    const automatic = await topics.getOrAutoCreate('automatic');

    // Assess
    expect(explicit?.partitions).toHaveLength(defaultBrokerConfig.defaultPartitions);
    expect(automatic?.partitions).toHaveLength(defaultBrokerConfig.defaultPartitions);
  });

  it('creates a topic once when many requests auto-create it at the same time', async () => {
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => topics.getOrAutoCreate('burst')));

    // Assess
    expect(new Set(results).size).toBe(1);
    expect(await storage.loadTopics()).toHaveLength(1);
  });

  it('does not auto-create when auto-creation is off', async () => {
    // Prepare
    const strict = new TopicManager(storage, { ...defaultBrokerConfig, autoCreateTopics: false }, systemClock, createMemoryLogger());

    // Act
    const topic = await strict.getOrAutoCreate('nope');

    // Assess
    expect(topic).toBeUndefined();
    expect(strict.list()).toHaveLength(0);
  });

  it('grows a topic but never shrinks it', async () => {
    // Prepare
    await topics.create('logs', 2);

    // Act
    await topics.addPartitions('logs', 5);

    // Assess
    expect(topics.get('logs')?.partitions).toHaveLength(5);
    expect((await rejection(topics.addPartitions('logs', 5))).code).toBe(ErrorCode.INVALID_PARTITIONS);
    expect((await rejection(topics.addPartitions('missing', 5))).code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    expect((await storage.loadTopics())[0]?.partitionCount).toBe(5);
  });

  it('deletes a topic with its committed offsets', async () => {
    // Prepare
    await topics.create('logs', 1);
    await storage.commitOffsets([{ groupId: 'g', topic: 'logs', partition: 0, offset: 3, metadata: null, commitTimestamp: 1 }]);

    // Act
    await topics.delete('logs');

    // Assess
    expect(topics.get('logs')).toBeUndefined();
    expect(await storage.loadTopics()).toEqual([]);
    expect(await storage.loadOffsets()).toEqual([]);
    expect((await rejection(topics.delete('logs'))).code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('validateOnly checks everything and creates nothing', async () => {
    // Act
    const result = await topics.create('dry', 3, {}, true);

    // Assess
    expect(result).toBeNull();
    expect(topics.get('dry')).toBeUndefined();
  });
});
