import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../../infra/local-msk/protocol/error-codes.js';
import { startTestBroker, type TestBroker } from '../../../../helpers/broker.js';
import { kafkajsRoundTrip } from './admin-wire.js';

describe('InitProducerId handler', () => {
  let broker: TestBroker;

  beforeAll(async () => {
    broker = await startTestBroker();
  });

  afterAll(async () => {
    await broker?.close();
  });

  it.each([0, 1])('v%i gives each idempotent producer a new id at epoch 0', async (version) => {
    // Act
    const first = await kafkajsRoundTrip(broker.bootstrap, 'initProducerId', version, { transactionalId: undefined, transactionTimeout: 60000 });
    const second = await kafkajsRoundTrip(broker.bootstrap, 'initProducerId', version, { transactionalId: undefined, transactionTimeout: 60000 });

    // Assess
    expect(first).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    expect(second).toMatchObject({ errorCode: ErrorCode.NONE, producerEpoch: 0 });
    expect(Number(first.producerId)).toBeGreaterThanOrEqual(0);
    expect(second.producerId).not.toBe(first.producerId);
  });

  it('refuses a transactional id: transactions are not supported by the local MSK', async () => {
    // Act
    const response = await kafkajsRoundTrip(broker.bootstrap, 'initProducerId', 1, { transactionalId: 'payments-tx', transactionTimeout: 60000 });

    // Assess
    expect(response).toMatchObject({ errorCode: ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, producerId: '-1', producerEpoch: -1 });
  });

  it('refuses an empty transactional id with INVALID_REQUEST, as Kafka does', async () => {
    // Act
    const response = await kafkajsRoundTrip(broker.bootstrap, 'initProducerId', 1, { transactionalId: '', transactionTimeout: 60000 });

    // Assess
    expect(response.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});
