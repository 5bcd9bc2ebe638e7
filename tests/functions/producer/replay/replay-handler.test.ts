import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../../functions/producer/handler.js';
import { createLogGenerator } from '../../../../functions/producer/generator/index.js';
import { resetProcessEnvCache } from '../../../../functions/shared/config/index.js';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { disconnectKafkaClients } from '../../../../functions/shared/kafka/index.js';
import { parseLabel, parseLogRecord } from '../../../../functions/shared/log/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../helpers/broker.js';

const context = { awsRequestId: '5a1e7c00-0000-4000-8000-000000000002', getRemainingTimeInMillis: () => 60_000 };

/** Every record of a topic from the beginning, with a throwaway consumer group. */
async function readAll(broker: TestBroker, topic: string, expected: number) {
  const consumer = kafkaClient(broker).consumer({ groupId: `replay-reader-${topic}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const messages: { key: Buffer | null; value: Buffer | null; headers: Record<string, unknown> }[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        messages.push({ key: message.key, value: message.value, headers: (message.headers ?? {}) as Record<string, unknown> });
        if (messages.length >= expected) resolve();
      },
    });
  });
  await consumer.disconnect();
  return messages;
}

/** A BGL line of the Loghub layout (label token removed). */
const bglLine = (second: number, component: string, level: string, message: string) =>
  `11178385${70 + second} 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.${String(10 + second).padStart(2, '0')}.675872 R02-M1-N0-C:J12-U11 RAS ${component} ${level} ${message}`;

describe('producer replay mode against the local MSK', () => {
  let broker: TestBroker;
  let dir: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    broker = await startTestBroker();
    dir = await mkdtemp(join(tmpdir(), 'replay-handler-'));
    process.env.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrap;
    process.env.KAFKA_TOPIC = 'replayed';
    process.env.METRICS_TOPIC = 'replay-metrics';
    process.env.REPLAY_DIR = dir;
    delete process.env.MSK_CLUSTER_ARN;
    resetProcessEnvCache();
  });

  afterAll(async () => {
    await disconnectKafkaClients();
    await broker?.close();
    await rm(dir, { recursive: true, force: true });
    process.env = saved;
    resetProcessEnvCache();
  });

  it('sends a generated synthetic file in order, its own records, with the labels file in the label header', async () => {
    // Prepare: 120 records of the producer's own generator, written as a file with its ground truth
    const generator = createLogGenerator({ anomalyRate: 0.1, seed: 21, producerId: 'file-writer' });
    const generated = Array.from({ length: 120 }, (_, i) => generator.next(Date.UTC(2026, 10, 24, 9) + 1000 * i));
    await writeFile(join(dir, 'stream.log'), `${generated.map((log) => JSON.stringify(log.record)).join('\n')}\n`);
    await writeFile(join(dir, 'stream.labels'), `${generated.map((log) => log.label).join('\n')}\n`);

    // Act
    const result = await handler({ mode: 'replay', file: 'stream.log', labels: 'stream.labels', rate: 5000, producerId: 'replayer' }, context);
    const messages = await readAll(broker, 'replayed', 120);

    // Assess
    expect(result).toMatchObject({ mode: 'replay', sent: 120, failed: 0, stoppedBecause: 'count', producerId: 'replayer' });
    const records = messages.map((message) => parseLogRecord(message.value));
    const labelById = new Map(messages.map((message, i) => [records[i]!.id, parseLabel(message.headers['x-anomaly-label'] as Buffer)]));
    expect(new Map(generated.map((log) => [log.record.id, log.label]))).toEqual(labelById);
    expect(records.map((record) => record.message).sort()).toEqual(generated.map((log) => log.record.message).sort());
    expect(messages.every((message, i) => message.key?.toString() === records[i]!.service)).toBe(true);
    // Kafka keeps order per key (service): each service's records arrive in file order
    const ids = (list: { id: string; service: string }[], service: string) => list.filter((record) => record.service === service).map((record) => record.id);
    for (const service of new Set(records.map((record) => record.service))) {
      expect(ids(records, service)).toEqual(ids(generated.map((log) => log.record), service));
    }
    expect(result.anomalies.error_spike + result.anomalies.keyword + result.anomalies.temporal + result.anomalies.unexpected_service + result.anomalies.message_deviation).toBe(
      generated.filter((log) => log.label !== 'none').length,
    );
  });

  it('replays a BGL file as records of its components, with 1/0 labels as anomaly/none, up to count', async () => {
    // Prepare
    const lines = [
      bglLine(0, 'KERNEL', 'INFO', 'instruction cache parity error corrected'),
      bglLine(1, 'KERNEL', 'FATAL', 'data TLB error interrupt'),
      bglLine(2, 'APP', 'FAILURE', 'ciod: failed to read message prefix on control stream'),
      bglLine(3, 'KERNEL', 'INFO', 'generating core.2275'),
    ];
    await writeFile(join(dir, 'bgl.log'), `${lines.join('\n')}\n`);
    await writeFile(join(dir, 'bgl.labels'), '0\n1\n1\n0\n');

    // Act: only the first three
    const result = await handler({ mode: 'replay', file: 'bgl.log', labels: 'bgl.labels', format: 'bgl', count: 3, rate: 1000, producerId: 'bgl-replay' }, context);
    const messages = (await readAll(broker, 'replayed', 123)).filter((message) => parseLogRecord(message.value).producerId === 'bgl-replay');

    // Assess
    expect(result).toMatchObject({ sent: 3, stoppedBecause: 'count' });
    expect(result.anomalies.anomaly).toBe(2);
    const records = messages.map((message) => parseLogRecord(message.value));
    const byId = new Map(messages.map((message) => {
      const record = parseLogRecord(message.value);
      return [record.id, [record.service, record.level, record.message, parseLabel(message.headers['x-anomaly-label'] as Buffer)]] as const;
    }));
    expect(byId).toEqual(
      new Map([
        ['bgl-replay-5a1e7c00-line-1', ['KERNEL', 'INFO', 'instruction cache parity error corrected', 'none']],
        ['bgl-replay-5a1e7c00-line-2', ['KERNEL', 'FATAL', 'data TLB error interrupt', 'anomaly']],
        ['bgl-replay-5a1e7c00-line-3', ['APP', 'FATAL', 'ciod: failed to read message prefix on control stream', 'anomaly']],
      ]),
    );
    expect(records.filter((record) => record.service === 'KERNEL').map((record) => record.id)).toEqual(['bgl-replay-5a1e7c00-line-1', 'bgl-replay-5a1e7c00-line-2']);
    expect(records.find((record) => record.id.endsWith('line-1'))?.ts).toBe('2005-06-03T15:42:10.675Z');
  });

  it.each([
    [{ mode: 'replay' }, /replay needs file/],
    [{ mode: 'replay', file: 'x.log', logConfig: {} }, /logConfig belongs to mode "generate"/],
    [{ count: 5, file: 'stream.log' }, /belong to mode "replay"/],
    [{ mode: 'replay', file: 'stream.log', format: 'syslog' }, /field "format"/],
    [{ mode: 'rewind', file: 'stream.log' }, /field "mode"/],
    [{ mode: 'replay', file: '../../etc/passwd' }, /outside the replay directory/],
    [{ mode: 'replay', file: 'missing.log' }, /cannot be opened/],
    [{ mode: 'replay', file: 'stream.log', labels: 'bgl.labels' }, /labels file has 4 lines but the log file has 120/],
    [{ mode: 'replay', file: 'bgl.log' }, /line 1/],
  ])('refuses the replay payload %j with a ValidationError before sending anything', async (event, message) => {
    // Act
    const failure = await handler(event, context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(message);
  });

  it('refuses replay when REPLAY_DIR is not set', async () => {
    // Prepare
    delete process.env.REPLAY_DIR;
    resetProcessEnvCache();

    // Act
    const failure = await handler({ mode: 'replay', file: 'stream.log' }, context).catch((error: unknown) => error);
    process.env.REPLAY_DIR = dir;
    resetProcessEnvCache();

    // Assess
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(/replay is disabled: set REPLAY_DIR/);
  });
});
