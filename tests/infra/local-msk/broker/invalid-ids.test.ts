import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../../infra/local-msk/protocol/api-keys.js';
import { decodeKafkaString } from '../../../../infra/local-msk/protocol/kafka-string.js';
import { Writer } from '../../../../infra/local-msk/protocol/writer.js';
import { encodeRecordBatch } from '../../../../infra/local-msk/protocol/record-batch/encoder.js';
import { startTestBroker, type TestBroker } from '../../../helpers/broker.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { probeMetadata } from '../../../helpers/wire-probe.js';
import { kafkajsDecodeResponse } from './handlers/group-wire.js';

/**
 * Ids and names a client sends that are not UTF-8, or too long for what they name, are
 * answered with the error code Kafka uses for a bad value of that kind, on every API that
 * takes them, and the broker goes on. (The Writer writes such a string back as the client's
 * exact bytes, which is also how these requests are built.)
 */

const INVALID_TOPIC_EXCEPTION = 17;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
const INVALID_GROUP_ID = 24;
const INVALID_REQUEST = 42;

/** 32767 bytes that are not UTF-8, and a short id with one overlong NUL in it. */
const longNotUtf8 = decodeKafkaString(Buffer.alloc(32_767, 0xff));
const shortNotUtf8 = decodeKafkaString(Buffer.of(0x69, 0x64, 0xc0, 0x80));
const tooLongTopic = 't'.repeat(250);

describe('ids and names that are not UTF-8 or too long', () => {
  let broker: TestBroker;
  let client: RawKafkaClient;

  beforeAll(async () => {
    broker = await startTestBroker();
    await probeMetadata(broker.bootstrap, ['orders']);
    client = await RawKafkaClient.connect(broker.bootstrap);
  });

  afterAll(async () => {
    await client?.close();
    await broker?.close();
  });

  async function ask(apiKey: number, version: number, api: string, body: Writer): Promise<any> {
    return kafkajsDecodeResponse(api, version, await client.send(apiKey, version, body.toBuffer()));
  }

  it('as topic names get INVALID_TOPIC_EXCEPTION from Metadata, CreateTopics and Produce, echoed byte for byte', async () => {
    // Prepare
    const names = [longNotUtf8, shortNotUtf8, tooLongTopic];
    const batch = encodeRecordBatch({ records: [{ value: 'v' }], firstTimestamp: 1_700_000_000_000 });

    // Act
    const metadataBytes = await client.send(ApiKey.Metadata, 1, new Writer().array(names, (w, name) => w.string(name)).toBuffer());
    const created = await ask(ApiKey.CreateTopics, 0, 'createTopics', new Writer()
      .array(names, (w, name) => w.string(name).int32(1).int16(1).array([], () => {}).array([], () => {}))
      .int32(1000));
    const produced = await ask(ApiKey.Produce, 3, 'produce', new Writer()
      .nullableString(null).int16(1).int32(1000)
      .array(names, (w, name) => w.string(name).array([0], (p, index) => p.int32(index).bytes(batch))));

    // Assess
    const metadata = await kafkajsDecodeResponse('metadata', 1, metadataBytes);
    expect(metadata.topicMetadata.map((topic: { topicErrorCode: number }) => topic.topicErrorCode)).toEqual(names.map(() => INVALID_TOPIC_EXCEPTION));
    expect(metadataBytes.includes(Buffer.alloc(32_767, 0xff))).toBe(true);
    expect(created.topicErrors.map((topic: { errorCode: number }) => topic.errorCode)).toEqual(names.map(() => INVALID_TOPIC_EXCEPTION));
    expect(produced.topics.flatMap((topic: { partitions: { errorCode: number }[] }) => topic.partitions.map((p) => p.errorCode))).toEqual(names.map(() => INVALID_TOPIC_EXCEPTION));
    expect(broker.context.topics.list().map((topic) => topic.name)).toEqual(['orders']);
  });

  it('as a topic of an offset commit get UNKNOWN_TOPIC_OR_PARTITION and are not stored', async () => {
    // Act
    const committed = await ask(ApiKey.OffsetCommit, 2, 'offsetCommit', new Writer()
      .string('valid-group').int32(-1).string('').int64(-1)
      .array([longNotUtf8], (w, name) => w.string(name).array([0], (p, index) => p.int32(index).int64(0).nullableString(null))));

    // Assess
    expect(committed.responses[0].partitions).toEqual([{ partition: 0, errorCode: UNKNOWN_TOPIC_OR_PARTITION }]);
    expect(await broker.context.storage.loadOffsets()).toEqual([]);
  });

  it('as group ids get INVALID_GROUP_ID from every group API, and nothing is stored', async () => {
    // Act
    const answers = [];
    for (const groupId of [longNotUtf8, shortNotUtf8]) {
      const found = await ask(ApiKey.FindCoordinator, 1, 'findCoordinator', new Writer().string(groupId).int8(0));
      const joined = await ask(ApiKey.JoinGroup, 0, 'joinGroup', new Writer()
        .string(groupId).int32(10_000).string('').string('consumer').array(['range'], (w, name) => w.string(name).bytes(Buffer.alloc(0))));
      const synced = await ask(ApiKey.SyncGroup, 0, 'syncGroup', new Writer().string(groupId).int32(1).string('m').array([], () => {}));
      const beat = await ask(ApiKey.Heartbeat, 0, 'heartbeat', new Writer().string(groupId).int32(1).string('m'));
      const left = await ask(ApiKey.LeaveGroup, 0, 'leaveGroup', new Writer().string(groupId).string('m'));
      const committed = await ask(ApiKey.OffsetCommit, 2, 'offsetCommit', new Writer()
        .string(groupId).int32(-1).string('').int64(-1)
        .array(['orders'], (w, name) => w.string(name).array([0], (p, index) => p.int32(index).int64(0).nullableString(null))));
      const fetched = await ask(ApiKey.OffsetFetch, 1, 'offsetFetch', new Writer()
        .string(groupId).array(['orders'], (w, name) => w.string(name).array([0], (p, index) => p.int32(index))));
      const described = await ask(ApiKey.DescribeGroups, 0, 'describeGroups', new Writer().array([groupId], (w, id) => w.string(id)));
      answers.push([
        found.errorCode, joined.errorCode, synced.errorCode, beat.errorCode, left.errorCode,
        committed.responses[0].partitions[0].errorCode, fetched.responses[0].partitions[0].errorCode, described.groups[0].errorCode,
      ]);
    }

    // Assess
    expect(answers).toEqual([Array(8).fill(INVALID_GROUP_ID), Array(8).fill(INVALID_GROUP_ID)]);
    expect(await broker.context.storage.loadOffsets()).toEqual([]);
    expect(broker.context.groups.listGroups()).toEqual([]);
  });

  it('as transactional ids get INVALID_REQUEST from InitProducerId and FindCoordinator', async () => {
    // Act
    const initialized = await ask(ApiKey.InitProducerId, 0, 'initProducerId', new Writer().nullableString(longNotUtf8).int32(60_000));
    const found = await ask(ApiKey.FindCoordinator, 1, 'findCoordinator', new Writer().string(shortNotUtf8).int8(1));

    // Assess
    expect(initialized.errorCode).toBe(INVALID_REQUEST);
    expect(found.errorCode).toBe(INVALID_REQUEST);
  });
});
