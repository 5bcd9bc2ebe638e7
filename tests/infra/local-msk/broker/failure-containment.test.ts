import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../../../infra/local-msk/broker/handler.js';
import { apiVersionsHandler } from '../../../../infra/local-msk/broker/handlers/api-versions.js';
import { heartbeatHandler } from '../../../../infra/local-msk/broker/handlers/heartbeat.js';
import { joinGroupHandler } from '../../../../infra/local-msk/broker/handlers/join-group.js';
import { listGroupsHandler } from '../../../../infra/local-msk/broker/handlers/list-groups.js';
import { metadataHandler } from '../../../../infra/local-msk/broker/handlers/metadata.js';
import { ApiRegistry } from '../../../../infra/local-msk/broker/registry.js';
import { KafkaServer } from '../../../../infra/local-msk/broker/server.js';
import { createMemoryLogger } from '../../../../infra/local-msk/logger.js';
import { ApiKey } from '../../../../infra/local-msk/protocol/api-keys.js';
import { startTestBroker, type TestBroker } from '../../../helpers/broker.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { probeMetadata } from '../../../helpers/wire-probe.js';
import { kafkajsDecodeResponse, kafkajsRoundTrip } from './handlers/group-wire.js';

/**
 * A handler that throws, or a response that cannot be encoded, must stay within its
 * connection: the API's UNKNOWN_SERVER_ERROR response (Kafka's error response) or, when the
 * API has none, a closed connection; one log line; every other connection served as before.
 * The failures are provoked with real handlers whose logic is replaced by a faulty one, served
 * by a real listener: the broker's own input checks leave no request that triggers them.
 */

const UNKNOWN_SERVER_ERROR = -1;
const tooLongForAString = 'm'.repeat(40_000);

/** JoinGroup whose answer names a member id no STRING can hold. */
const unencodableJoinGroup: ApiHandler = {
  ...joinGroupHandler,
  handle: () => ({ throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolName: 'range', leader: tooLongForAString, memberId: tooLongForAString, members: [] }),
};
/** Heartbeat whose logic throws. */
const throwingHeartbeat: ApiHandler = {
  ...heartbeatHandler,
  handle: () => {
    throw new Error('coordinator bug');
  },
};
/** ListGroups with an unencodable answer and no error response to fall back on. */
const unencodableListGroupsWithoutFallback: ApiHandler = {
  apiKey: listGroupsHandler.apiKey,
  name: listGroupsHandler.name,
  codecs: listGroupsHandler.codecs,
  handle: () => ({ throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: tooLongForAString, protocolType: 'consumer' }] }),
};

describe('failures inside one request', () => {
  let broker: TestBroker;
  let server: KafkaServer;
  let bootstrap: string;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    broker = await startTestBroker();
    const registry = new ApiRegistry([apiVersionsHandler, metadataHandler, unencodableJoinGroup, throwingHeartbeat, unencodableListGroupsWithoutFallback]);
    server = new KafkaServer(registry, () => broker.context, { maxFrameBytes: 1 << 20, idleTimeoutMs: 60_000, maxQueuedFrames: 64 }, logger);
    bootstrap = `127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
  });

  beforeEach(() => {
    logger.lines.length = 0;
  });

  afterAll(async () => {
    await server?.close();
    await broker?.close();
  });

  it('answers UNKNOWN_SERVER_ERROR when the response cannot be encoded, with one log line, and the connection goes on', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(bootstrap);

    // Act
    const joined = await kafkajsRoundTrip(client, 'joinGroup', 4, {
      groupId: 'g', sessionTimeout: 10_000, rebalanceTimeout: 10_000, memberId: '', protocolType: 'consumer', groupProtocols: [{ name: 'range' }],
    });
    const metadataOnSameConnection = await client.send(ApiKey.Metadata, 1, Buffer.from([0, 0, 0, 0]));
    await client.close();

    // Assess
    expect(joined).toMatchObject({ errorCode: UNKNOWN_SERVER_ERROR, memberId: '' });
    expect(metadataOnSameConnection.length).toBeGreaterThan(0);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'response could not be encoded', fields: expect.objectContaining({ api: 'JoinGroup', outcome: 'answered UNKNOWN_SERVER_ERROR' }) }),
    ]);
  });

  it('answers UNKNOWN_SERVER_ERROR when the handler throws, with one log line', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(bootstrap);

    // Act
    const beat = await kafkajsRoundTrip(client, 'heartbeat', 1, { groupId: 'g', groupGenerationId: 1, memberId: 'm' });
    await client.close();

    // Assess
    expect(beat.errorCode).toBe(UNKNOWN_SERVER_ERROR);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'request failed', fields: expect.objectContaining({ api: 'Heartbeat', error: 'coordinator bug' }) }),
    ]);
  });

  it('closes only that connection when the API has no error response, with one log line; others are served', async () => {
    // Prepare
    const bystander = await RawKafkaClient.connect(bootstrap);
    const client = await RawKafkaClient.connect(bootstrap);

    // Act
    const answer = client.send(ApiKey.ListGroups, 1, Buffer.alloc(0)).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await client.closed;
    const served = await kafkajsDecodeResponse('metadata', 1, await bystander.send(ApiKey.Metadata, 1, Buffer.from([0, 0, 0, 0])));
    await bystander.close();

    // Assess
    expect(await answer).toBe('connection closed before the response arrived');
    expect(served.brokers).toHaveLength(1);
    expect(await probeMetadata(bootstrap, [])).toEqual([]);
    expect(logger.lines).toEqual([
      expect.objectContaining({ level: 'error', message: 'response could not be encoded', fields: expect.objectContaining({ api: 'ListGroups', outcome: 'connection closed' }) }),
    ]);
  });
});
