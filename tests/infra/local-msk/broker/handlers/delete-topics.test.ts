import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { kafkajsRoundTrip } from './admin-wire.js';

describe('DeleteTopics handler', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
  });

  afterAll(async () => {
    await broker?.close();
  });

  it.each([0, 1])('v%i deletes topics and answers UNKNOWN_TOPIC_OR_PARTITION for unknown ones', async (version) => {
    // Prepare
    const doomed = `doomed-v${version}`;
    await broker.context.topics.create(doomed, 2);

    // Act
    const response = await kafkajsRoundTrip(broker.bootstrap, 'deleteTopics', version, { topics: [doomed, 'never-existed'], timeout: 1000 });

    // Assess
    expect(response.topicErrors).toEqual([
      { topic: doomed, errorCode: ErrorCode.NONE },
      { topic: 'never-existed', errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION },
    ]);
    expect(broker.context.topics.get(doomed)).toBeUndefined();
  });

  it('answers once for a name given twice', async () => {
    // Prepare
    await broker.context.topics.create('repeated', 1);

    // Act
    const response = await kafkajsRoundTrip(broker.bootstrap, 'deleteTopics', 1, { topics: ['repeated', 'repeated'], timeout: 1000 });

    // Assess
    expect(response.topicErrors).toEqual([{ topic: 'repeated', errorCode: ErrorCode.NONE }]);
    expect(broker.context.topics.get('repeated')).toBeUndefined();
  });

  it('lets a deleted topic be created again, empty', async () => {
    // Prepare
    await broker.context.topics.create('reborn', 3);
    await kafkajsRoundTrip(broker.bootstrap, 'deleteTopics', 1, { topics: ['reborn'], timeout: 1000 });

    // Act
    const response = await kafkajsRoundTrip(broker.bootstrap, 'createTopics', 3, { topics: [{ topic: 'reborn', numPartitions: 1 }], timeout: 1000 });

    // Assess
    expect(response.topicErrors[0].errorCode).toBe(ErrorCode.NONE);
    expect(broker.context.topics.get('reborn')?.partitions).toHaveLength(1);
    expect(broker.context.topics.get('reborn')?.partitions[0]?.logEndOffset).toBe(0);
  });
});
