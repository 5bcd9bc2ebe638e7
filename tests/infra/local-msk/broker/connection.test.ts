import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiKey } from '../../../../infra/local-msk/protocol/api-keys.js';
import { ErrorCode } from '../../../../infra/local-msk/protocol/error-codes.js';
import { Reader } from '../../../../infra/local-msk/protocol/reader.js';
import { Writer } from '../../../../infra/local-msk/protocol/writer.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../helpers/broker.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';

/** Metadata v1 request body asking for one topic. */
function metadataRequest(topic: string): Buffer {
  return new Writer().array([topic], (w, name) => w.string(name)).toBuffer();
}

describe('connection handling of bad input', () => {
  let broker: TestBroker;

  beforeEach(async () => {
    broker = await startTestBroker({ maxFrameBytes: 64 * 1024, idleTimeoutMs: 300 });
    // Something stored before the abuse starts, to check nothing is damaged.
    const producer = kafkaClient(broker).producer();
    await producer.connect();
    await producer.send({ topic: 'precious', messages: [{ key: 'k', value: 'before' }] });
    await producer.disconnect();
    broker.logLines.length = 0;
  });

  afterEach(async () => {
    await broker.close();
  });

  /** The broker still serves a real client and the stored record is intact. */
  async function expectBrokerHealthy(): Promise<void> {
    const admin = kafkaClient(broker).admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('precious');
    await admin.disconnect();
    expect(offsets.map((partition) => Number(partition.high) - Number(partition.low)).reduce((a, b) => a + b, 0)).toBe(1);
    const [stored] = await broker.context.topics.get('precious')!.partitions.map((log) => log).filter((log) => log.logEndOffset > 0);
    expect((await stored!.read(0, 1 << 20)).length).toBe(1);
  }

  it('closes a connection whose frame is over the size limit, with one log line', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);
    const header = Buffer.alloc(4);
    header.writeInt32BE(64 * 1024 + 1);

    // Act
    client.sendRaw(header);
    await client.closed;

    // Assess
    expect(broker.logLines).toEqual([expect.objectContaining({ level: 'warn', message: 'rejected frame: size outside limits', fields: expect.objectContaining({ size: 65537 }) })]);
    await expectBrokerHealthy();
  });

  it('closes a connection with a negative frame size', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);

    // Act
    client.sendRaw(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
    await client.closed;

    // Assess
    expect(broker.logLines).toHaveLength(1);
    expect(broker.logLines[0]!.message).toBe('rejected frame: size outside limits');
  });

  it('closes a connection that ends inside a frame, with one log line', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);
    const frame = RawKafkaClient.frame(ApiKey.Metadata, 1, 7, 'truncated', metadataRequest('precious'));

    // Act
    client.sendRaw(frame.subarray(0, frame.length - 3));
    client.end();
    await client.closed;

    // Assess
    expect(broker.logLines).toEqual([expect.objectContaining({ message: 'connection ended inside a frame' })]);
    await expectBrokerHealthy();
  });

  it('closes a connection that connects and sends nothing once it has been idle too long', async () => {
    // Prepare / Act
    const silent = await RawKafkaClient.connect(broker.bootstrap);
    await silent.closed;

    // Assess
    expect(broker.logLines).toEqual([expect.objectContaining({ message: 'closing idle connection', fields: expect.objectContaining({ idleTimeoutMs: 300 }) })]);
    await expectBrokerHealthy();
  });

  it('closes a connection that sends half a frame and stalls', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);
    const frame = RawKafkaClient.frame(ApiKey.Metadata, 1, 7, 'stall', metadataRequest('precious'));

    // Act
    client.sendRaw(frame.subarray(0, 10));
    await client.closed;

    // Assess
    expect(broker.logLines).toEqual([expect.objectContaining({ message: 'closing idle connection' })]);
  });

  it('closes a connection that uses an unknown API key, with one log line', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);

    // Act
    const answer = client.send(9999, 0, Buffer.alloc(0)).catch((error: Error) => error);
    await client.closed;

    // Assess
    expect(await answer).toBeInstanceOf(Error);
    expect(broker.logLines).toEqual([expect.objectContaining({ message: 'unknown API key', fields: expect.objectContaining({ apiKey: 9999 }) })]);
    await expectBrokerHealthy();
  });

  it('closes a connection that uses an unsupported version of a known API', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);

    // Act
    const answer = client.send(ApiKey.Metadata, 99, metadataRequest('precious')).catch((error: Error) => error);
    await client.closed;

    // Assess
    expect(await answer).toBeInstanceOf(Error);
    expect(broker.logLines).toEqual([expect.objectContaining({ message: 'unsupported API version', fields: expect.objectContaining({ api: 'Metadata', apiVersion: 99 }) })]);
  });

  it('answers an ApiVersions version it does not implement with UNSUPPORTED_VERSION and its ranges, in version 0', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);

    // Act: ApiVersions v3 is a flexible version (header v2: tagged fields after the client id)
    const body = await client.send(ApiKey.ApiVersions, 3, Buffer.from([0x00, 0x00]));
    const reader = new Reader(body);
    const errorCode = reader.int16();
    const ranges = reader.array((r) => ({ apiKey: r.int16(), minVersion: r.int16(), maxVersion: r.int16() }));
    await client.close();

    // Assess
    expect(errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(ranges).toEqual(broker.context.apiVersions);
    expect(reader.remaining()).toBe(0);
    expect(broker.logLines).toEqual([]);
  });

  it('closes a connection whose request body does not match its grammar, with one log line', async () => {
    // Prepare: Metadata v1 claiming 1,000,000 topics in a 4-byte body
    const client = await RawKafkaClient.connect(broker.bootstrap);
    const lying = new Writer().int32(1_000_000).toBuffer();

    // Act
    const answer = client.send(ApiKey.Metadata, 1, lying).catch((error: Error) => error);
    await client.closed;

    // Assess
    expect(await answer).toBeInstanceOf(Error);
    expect(broker.logLines).toEqual([expect.objectContaining({ message: 'malformed request', fields: expect.objectContaining({ api: 'Metadata' }) })]);
    await expectBrokerHealthy();
  });

  it('closes a connection whose frame is too short to hold a request header', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap);

    // Act
    client.sendRaw(Buffer.from([0, 0, 0, 3, 0, 3, 0]));
    await client.closed;

    // Assess
    expect(broker.logLines).toEqual([expect.objectContaining({ message: 'malformed request header' })]);
  });

  it('survives 200 connections sending random frames, and keeps serving with data intact', async () => {
    // Prepare: random bodies behind valid size prefixes and real API keys/versions
    const keys = broker.context.apiVersions;
    const clients = await Promise.all(Array.from({ length: 200 }, () => RawKafkaClient.connect(broker.bootstrap)));

    // Act
    const outcomes = await Promise.all(
      clients.map(async (client, i) => {
        const range = keys[i % keys.length]!;
        const version = range.minVersion + (i % (range.maxVersion - range.minVersion + 1));
        const body = randomBytes(i % 64);
        try {
          await client.send(range.apiKey, version, body);
          await client.close();
          return 'answered';
        } catch {
          await client.closed;
          return 'closed';
        }
      }),
    );

    // Assess: every client got an answer or a closed connection, each closure logged exactly
    // once, and no handler failed unexpectedly on garbage (that would be a decoding gap)
    const closingMessages = new Set(['malformed request', 'malformed request header', 'rejected frame: size outside limits', 'request failed']);
    const closingLines = broker.logLines.filter((line) => closingMessages.has(line.message));
    expect(outcomes).toHaveLength(200);
    expect(closingLines).toHaveLength(outcomes.filter((outcome) => outcome === 'closed').length);
    expect(new Set(closingLines.map((line) => line.fields?.connection)).size).toBe(closingLines.length);
    expect(broker.logLines.filter((line) => line.message === 'request failed')).toEqual([]);
    await expectBrokerHealthy();
  });
});
