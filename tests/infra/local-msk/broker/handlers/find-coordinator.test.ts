import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { RawKafkaClient } from '../../../../helpers/raw-kafka-client.js';
import { kafkajsRoundTrip } from './group-wire.js';

let broker: TestBroker;
let client: RawKafkaClient;

beforeAll(async () => {
  broker = await startTestBroker();
  client = await RawKafkaClient.connect(broker.bootstrap);
});

afterAll(async () => {
  await client?.close();
  await broker?.close();
});

describe('FindCoordinator handler', () => {
  it('names this broker as the coordinator of any group, in every version', async () => {
    // Prepare
    const expected = { nodeId: broker.context.identity.nodeId, host: '127.0.0.1', port: broker.port };
    // Act
    const v0 = await kafkajsRoundTrip(client, 'findCoordinator', 0, { groupId: 'orders' });
    const v1 = await kafkajsRoundTrip(client, 'findCoordinator', 1, { coordinatorKey: 'any-group', coordinatorType: 0 });
    const v2 = await kafkajsRoundTrip(client, 'findCoordinator', 2, { coordinatorKey: '', coordinatorType: 0 });
    // Assess
    for (const answer of [v0, v1, v2]) {
      expect(answer.errorCode).toBe(0);
      expect(answer.coordinator).toEqual(expected);
    }
  });

  it('names this node as transaction coordinator too, and answers INVALID_REQUEST for unknown key types', async () => {
    // Act
    const transaction = await kafkajsRoundTrip(client, 'findCoordinator', 2, { coordinatorKey: 'txn', coordinatorType: 1 });
    const unknown = await kafkajsRoundTrip(client, 'findCoordinator', 1, { coordinatorKey: 'x', coordinatorType: 7 });
    // Assess
    expect(transaction).toMatchObject({ errorCode: 0, coordinator: { nodeId: broker.context.identity.nodeId } });
    expect(unknown.errorCode).toBe(42);
  });

  it('lets a transactional kafkajs producer fail at once with TRANSACTIONAL_ID_AUTHORIZATION_FAILED', async () => {
    // Prepare
    const producer = kafkaClient(broker).producer({ transactionalId: 'tx-1', idempotent: true, maxInFlightRequests: 1 });

    // Act
    const failure = await producer.connect().then(() => producer.transaction()).catch((error: { type?: string }) => error);
    await producer.disconnect();

    // Assess
    expect(failure).toMatchObject({ type: 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' });
  });
});
