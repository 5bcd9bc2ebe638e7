import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalMskProcess } from '../../../helpers/local-msk-process.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { probeMetadata } from '../../../helpers/wire-probe.js';
import { kafkajsRoundTrip } from '../broker/handlers/group-wire.js';

/**
 * kafka-python sends a client id of any length; with ~32,740 characters the member id Kafka's
 * shape makes of it (client id + "-" + uuid) no longer fits a STRING. The broker once threw
 * while answering and its whole process exited. Member ids are now bounded: the client id is cut.
 */

const longClientId = 'k'.repeat(32_740);
const maxStringBytes = 32_767;
const uuidSuffix = /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const join = (groupId: string, memberId: string) => ({
  groupId,
  sessionTimeout: 10_000,
  rebalanceTimeout: 10_000,
  memberId,
  protocolType: 'consumer',
  groupProtocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
});

describe('a consumer with a 32,740-character client id', () => {
  let broker: LocalMskProcess;

  beforeAll(async () => {
    broker = await LocalMskProcess.start(['--port', '0', '--no-control-plane', '--in-memory', '--initial-rebalance-delay-ms', '0']);
  });

  afterAll(async () => {
    await broker?.kill();
  });

  it('joins with JoinGroup v4 through MEMBER_ID_REQUIRED, with a member id that fits, and the broker keeps serving', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap, { clientId: longClientId });

    // Act
    const first = await kafkajsRoundTrip(client, 'joinGroup', 4, join('long-client-v4', ''));
    const joined = await kafkajsRoundTrip(client, 'joinGroup', 4, join('long-client-v4', first.memberId));
    await client.close();

    // Assess
    expect(first.errorCode).toBe(79); // MEMBER_ID_REQUIRED, with the id to rejoin with
    expect(Buffer.byteLength(first.memberId)).toBeLessThanOrEqual(maxStringBytes);
    expect(first.memberId).toMatch(uuidSuffix);
    expect(first.memberId.startsWith('k'.repeat(32_000))).toBe(true); // Kafka's shape: the client id, cut, then the uuid
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, memberId: first.memberId, leaderId: first.memberId });
    expect(await probeMetadata(broker.bootstrap, [])).toEqual([]);
  });

  it('joins directly with JoinGroup v0 (no MEMBER_ID_REQUIRED step)', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap, { clientId: longClientId });

    // Act
    const joined = await kafkajsRoundTrip(client, 'joinGroup', 0, join('long-client-v0', ''));
    await client.close();

    // Assess
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1 });
    expect(Buffer.byteLength(joined.memberId)).toBeLessThanOrEqual(maxStringBytes);
    expect(joined.memberId).toMatch(uuidSuffix);
    expect(broker.exited).toBe(false);
  });
});
