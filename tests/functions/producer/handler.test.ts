import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/producer/handler.js';
import { resetProcessEnvCache } from '../../../functions/shared/config/index.js';
import { ValidationError } from '../../../functions/shared/errors.js';
import { disconnectKafkaClients } from '../../../functions/shared/kafka/index.js';
import { parseLabel, parseLogRecord } from '../../../functions/shared/log/index.js';
import { parseMetricRecord } from '../../../functions/shared/metrics/index.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { captureOutput } from '../../helpers/captured-output.js';

const context = { awsRequestId: '8f2c1d3e-0000-4000-8000-000000000001', getRemainingTimeInMillis: () => 60_000 };

/** Reads every record of a topic from the beginning with a throwaway consumer group. */
async function readAll(broker: TestBroker, topic: string, expected: number) {
  const consumer = kafkaClient(broker).consumer({ groupId: `reader-${topic}-${Date.now()}` });
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

describe('producer handler against the local MSK', () => {
  let broker: TestBroker;
  const saved = { ...process.env };

  beforeAll(async () => {
    broker = await startTestBroker();
    process.env.KAFKA_BOOTSTRAP_SERVERS = broker.bootstrap;
    process.env.KAFKA_TOPIC = 'logs';
    process.env.METRICS_TOPIC = 'metrics';
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'; // as Lambda sets it: Powertools reports cold starts only then
    delete process.env.MSK_CLUSTER_ARN;
    resetProcessEnvCache();
  });

  afterAll(async () => {
    await disconnectKafkaClients();
    await broker.close();
    process.env = saved;
    resetProcessEnvCache();
  });

  it('writes count valid log records keyed by service, labels in a header, and producer metrics', async () => {
    // Act
    const result = await handler({ experimentId: 'exp-1', producerId: 'p-1', rate: 2000, count: 400, anomalyRate: 0.1, seed: 3 }, context);
    const logs = await readAll(broker, 'logs', 400);
    const metrics = await readAll(broker, 'metrics', 1);

    // Assess: the records
    expect(result).toMatchObject({ experimentId: 'exp-1', producerId: 'p-1', topic: 'logs', sent: 400, failed: 0, stoppedBecause: 'count' });
    const records = logs.map((message) => parseLogRecord(message.value));
    expect(records).toHaveLength(400);
    expect(logs.every((message, i) => message.key?.toString() === records[i]!.service)).toBe(true);
    expect(records.every((record) => record.experimentId === 'exp-1' && record.producerId === 'p-1')).toBe(true);
    const labels = logs.map((message) => parseLabel(message.headers['x-anomaly-label'] as Buffer));
    expect(labels.filter((label) => label !== 'none').length).toBe(Object.values(result.anomalies).reduce((a, b) => a + b, 0));
    // Assess: the metrics record
    const metric = parseMetricRecord(metrics[0]!.value!);
    expect(metric).toMatchObject({ experimentId: 'exp-1', componentType: 'producer', componentId: 'p-1' });
    expect(metric.metrics.find((m) => m.name === 'records_sent')?.value).toBe(400);
  });

  it('generates from a custom log configuration given in the payload (services, hosts, templates)', async () => {
    // Prepare
    const logConfig = {
      services: [
        { name: 'billing', weight: 1, hosts: ['billing-1'], usualHours: { fromHour: 6, toHour: 24 }, templates: [{ level: 'INFO', weight: 1, text: 'Invoice {orderId} paid by user {userId}' }] },
      ],
      unusualHours: { fromHour: 2, toHour: 5 },
    };

    // Act
    const result = await handler({ producerId: 'custom', rate: 5000, count: 50, anomalyRate: 0, seed: 9, logConfig }, context);
    const logs = await readAll(broker, 'logs', 450); // the 400 of the first test, then these 50
    const custom = logs.map((message) => parseLogRecord(message.value)).filter((record) => record.producerId === 'custom');

    // Assess
    expect(result.sent).toBe(50);
    expect(custom).toHaveLength(50);
    expect(custom.every((record) => record.service === 'billing' && record.host === 'billing-1' && /^Invoice \S+ paid by user \S+$/.test(record.message))).toBe(true);
  });

  it('refuses a custom log configuration that does not hold, naming the field', async () => {
    // Act
    const failure = await handler({ count: 5, logConfig: { services: [{ name: 'x', weight: -1, hosts: [], templates: [] }] } }, context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(/field "logConfig": .*weight/);
  });

  it('logs one Powertools JSON line per run, with the request id, and neither the records nor the payload', async () => {
    // Prepare: a payload whose logConfig and template text must not reach the log
    const secretish = 'Do-not-log-this-template {orderId}';
    const logConfig = { services: [{ name: 'quiet', weight: 1, hosts: ['quiet-1'], templates: [{ level: 'INFO', weight: 1, text: secretish }] }] };
    const output = captureOutput();

    // Act
    let failure: unknown;
    try {
      await handler({ producerId: 'logged', rate: 5000, count: 5, anomalyRate: 0, seed: 1, logConfig }, { ...context, awsRequestId: 'log-test-1' });
      failure = await handler({ count: 5, logConfig: { services: [{ name: secretish, weight: -1, hosts: [], templates: [] }] } }, { ...context, awsRequestId: 'log-test-2' }).catch((error: unknown) => error);
    } finally {
      output.restore();
    }

    // Assess
    const lines = output.jsonLines().filter((line) => line.service === 'log-anomaly-detection');
    expect(failure).toBeInstanceOf(ValidationError);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'producer run finished', component: 'producer', function_request_id: 'log-test-1', cold_start: false, sent: 5, producerId: 'logged' }),
      expect.objectContaining({ level: 'ERROR', message: 'producer run failed', component: 'producer', function_request_id: 'log-test-2', cold_start: false, error: 'ValidationError' }),
    ]);
    expect(JSON.stringify(lines)).not.toContain('Do-not-log-this-template');
  });

  it.each([
    [{}, /give count \(records\) or durationSeconds/],
    [{ count: 0 }, /field "count"/],
    [{ count: 10, rate: -1 }, /field "rate"/],
    [{ count: 10, rate: 1e9 }, /field "rate"/],
    [{ count: 10, anomalyRate: 2 }, /field "anomalyRate"/],
    [{ durationSeconds: 10_000 }, /field "durationSeconds"/],
    [{ count: 10, experimentId: '<script>' }, /field "experimentId"/],
    [{ count: 10, surprise: true }, /surprise/],
    ['not an object', /producer event is invalid/],
  ])('rejects the payload %j with a ValidationError naming the problem', async (event, message) => {
    // Act
    const failure = await handler(event, context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(message);
  });
});
