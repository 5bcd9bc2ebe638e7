import { CompressionTypes } from 'kafkajs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { kcat } from '../../helpers/kcat.js';

/**
 * librdkafka (Debian's kcat) against the broker: producing, consuming without a group,
 * offsets by timestamp, idempotence. librdkafka negotiates its own versions through
 * ApiVersions (it uses Produce v7, Fetch v11, ListOffsets v2, Metadata v4 here).
 */
let broker: TestBroker;

beforeEach(async () => {
  broker = await startTestBroker();
});

afterEach(async () => {
  await broker.close();
});

const consume = (topic: string, format: string, ...extra: string[]) =>
  kcat(['-b', broker.bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', format, ...extra]);

describe('kcat (librdkafka)', () => {
  it('reads back the keyed lines it produced', async () => {
    // Prepare
    await broker.context.topics.create('lines', 1);
    // Act
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'lines', '-K:'], 'user-1:login\nuser-2:logout\nuser-1:click\n');
    const output = await consume('lines', '%k:%s@%o\n');
    // Assess
    expect(output).toBe('user-1:login@0\nuser-2:logout@1\nuser-1:click@2\n');
  });

  it('consumes what kafkajs produced with gzip, keys and headers', async () => {
    // Prepare
    await broker.context.topics.create('from-kafkajs', 1);
    const producer = kafkaClient(broker).producer();
    await producer.connect();
    await producer.send({
      topic: 'from-kafkajs',
      compression: CompressionTypes.GZIP,
      messages: [
        { key: 'a', value: 'alpha', headers: { source: 'kafkajs' } },
        { key: 'b', value: 'beta' },
      ],
    });
    await producer.disconnect();
    // Act
    const output = await consume('from-kafkajs', '%k=%s [%h]\n');
    // Assess
    expect(output).toBe('a=alpha [source=kafkajs]\nb=beta []\n');
  });

  it('finds offsets by timestamp', async () => {
    // Prepare
    await broker.context.topics.create('timed', 1);
    const producer = kafkaClient(broker).producer();
    await producer.connect();
    const t0 = 1_700_000_000_000;
    await producer.send({ topic: 'timed', messages: [0, 1000, 2000].map((delta) => ({ value: `at+${delta}`, timestamp: String(t0 + delta) })) });
    await producer.disconnect();
    // Act
    const output = await kcat(['-b', broker.bootstrap, '-C', '-t', 'timed', '-o', `s@${t0 + 500}`, '-e', '-q', '-f', '%s@%o\n']);
    // Assess
    expect(output).toBe('at+1000@1\nat+2000@2\n');
  });

  it('produces idempotently (InitProducerId + sequences) and every record lands once', async () => {
    // Prepare
    await broker.context.topics.create('idempotent', 1);
    const lines = Array.from({ length: 20 }, (_, i) => `k${i}:v${i}`).join('\n') + '\n';
    // Act
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'idempotent', '-K:', '-X', 'enable.idempotence=true'], lines);
    const output = await consume('idempotent', '%k:%s\n');
    // Assess
    expect(output).toBe(lines);
    expect(broker.context.topics.partition('idempotent', 0)!.logEndOffset).toBe(20);
  });

  it('auto-creates a topic it produces to, and lists it in metadata', async () => {
    // Act
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'auto-made', '-K:'], 'k:v\n');
    const listing = await kcat(['-b', broker.bootstrap, '-L', '-t', 'auto-made']);
    // Assess
    expect(listing).toContain('topic "auto-made" with 3 partitions');
    expect(listing).toContain('broker 1 at 127.0.0.1');
  });

  it('is refused zstd with "Unsupported compression type", and gzips for real', async () => {
    // Prepare
    await broker.context.topics.create('codecs', 1);
    const payload = `k:${'z'.repeat(4000)}\n`;
    // Act
    const zstd = kcat(['-b', broker.bootstrap, '-P', '-t', 'codecs', '-K:', '-z', 'zstd'], payload);
    await expect(zstd).rejects.toThrow(/Unsupported compression type/);
    // librdkafka gzips only for brokers that advertise Produce v0, which this one does.
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'codecs', '-K:', '-z', 'gzip'], payload);
    const output = await consume('codecs', '%k %S\n');
    const [stored] = await broker.context.topics.partition('codecs', 0)!.read(0, 1 << 20);
    // Assess
    expect(output).toBe('k 4000\n');
    expect(stored!.readInt16BE(21) & 0x07).toBe(1); // attributes: compression codec 1 = gzip
    expect(stored!.length).toBeLessThan(1000);
    expect(broker.logLines.filter((line) => line.message === 'produce rejected').map((line) => line.fields?.errorCode)).toEqual([76]);
  });
});
