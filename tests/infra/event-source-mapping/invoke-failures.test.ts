import '../../../infra/process/quiet-sdk-notice.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Kafka, Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaEventWire } from '../../../functions/shared/kafka/index.js';
import { invokeServiceFailureOf, withInvokeServiceFailures } from '../../../infra/event-source-mapping/invoke-failure.js';
import type { MappingRunner } from '../../../infra/event-source-mapping/mapping-runner.js';
import { createLambdaInvoker, LambdaInvokeError } from '../../../infra/lambda/invoke-lambda.js';
import { pickFreePort } from '../../../infra/local-services/ports.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { committedOffsets, eventValues, quietLogger, runnerFor, topicEnd, waitFor } from './runner-harness.js';

/** How the Lambda API answers one Invoke call: an API error, or the function's run (an error, or its result). */
type Answer = { status: number; errorType: string } | { functionError: string } | 'run';

/**
 * A Lambda Invoke API on a local port, speaking the real wire protocol to the real AWS SDK client:
 * it answers calls from `script` in turn (then 'run'), and records the events of every run.
 */
class LambdaApi {
  readonly runs: KafkaEventWire[] = [];
  calls = 0;
  private server: Server | null = null;

  constructor(
    readonly port: number,
    private readonly script: Answer[],
  ) {}

  start(): Promise<void> {
    this.server = createServer((request, response) => void this.answer(request, response));
    return new Promise((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server === null ? resolve() : this.server.close(() => resolve())));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = this.script[this.calls++] ?? 'run';
    if (answer === 'run') {
      this.runs.push(JSON.parse(Buffer.concat(chunks).toString()) as KafkaEventWire);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ stored: true }));
    } else if ('functionError' in answer) {
      response.writeHead(200, { 'content-type': 'application/json', 'x-amz-function-error': answer.functionError }).end(JSON.stringify({ errorMessage: 'handler failed' }));
    } else {
      response.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-errortype': answer.errorType }).end(JSON.stringify({ message: answer.errorType }));
    }
  }
}

const throttled: Answer = { status: 429, errorType: 'TooManyRequestsException' };
const serviceFailed: Answer = { status: 500, errorType: 'ServiceException' };
const unavailable: Answer = { status: 503, errorType: 'EC2ThrottledException' };
const notFound: Answer = { status: 404, errorType: 'ResourceNotFoundException' };
const functionFailed: Answer = { functionError: 'Unhandled' };

/** The CLI's invoke: the real SDK client against `port`, with Invoke API failures marked as such. */
function lambdaApiInvoke(port: number) {
  const lambda = createLambdaInvoker({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const invoke = withInvokeServiceFailures(lambda.invoke);
  return { invoke: (payload: KafkaEventWire) => invoke('detector', payload), close: () => lambda.close() };
}

describe('invokeServiceFailureOf, with the real SDK client', () => {
  const closers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it.each([
    ['a throttle (429)', throttled, true],
    ['a service error (500)', serviceFailed, true],
    ['an unavailable service (503)', unavailable, true],
    ['a missing function (404)', notFound, false],
    ['a function error', functionFailed, false],
  ])('classifies %s', async (_what, answer, isServiceFailure) => {
    // Prepare
    const api = new LambdaApi(await pickFreePort('127.0.0.1'), [answer]);
    await api.start();
    const lambda = createLambdaInvoker({ region: 'us-east-1', endpoint: `http://127.0.0.1:${api.port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    closers.push(() => api.stop(), () => lambda.close());
    // Act
    const error = await lambda.invoke('detector', {}).then(() => null, (rejection: unknown) => rejection);
    // Assess
    expect(error).toBeInstanceOf(LambdaInvokeError);
    expect(invokeServiceFailureOf(error) !== null).toBe(isServiceFailure);
  });

  it('classifies a refused connection', async () => {
    // Prepare: a port nothing listens on
    const lambda = createLambdaInvoker({ region: 'us-east-1', endpoint: `http://127.0.0.1:${await pickFreePort('127.0.0.1')}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    closers.push(() => lambda.close());
    // Act
    const error = await lambda.invoke('detector', {}).then(() => null, (rejection: unknown) => rejection);
    // Assess
    expect(invokeServiceFailureOf(error)?.name).toBe('InvokeServiceError');
  });
});

describe('Invoke API failures against the local MSK', () => {
  let broker: TestBroker;
  let kafka: Kafka;
  let producer: Producer;
  const cleanups: Array<() => unknown> = [];
  const runners: MappingRunner[] = [];

  beforeAll(async () => {
    broker = await startTestBroker({ initialRebalanceDelayMs: 0 });
    kafka = kafkaClient(broker);
    producer = kafka.producer();
    await producer.connect();
  });

  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await broker?.close();
  });

  /** `topic` with two records, and its empty on-failure topic; the mapping allows no retries. */
  async function mappingWithoutRetries(topic: string, invoke: (payload: KafkaEventWire) => Promise<unknown>): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }, { topic: `${topic}-dlq`, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await producer.send({ topic, messages: [{ value: 'r0' }, { value: 'r1' }] });
    const runner = runnerFor({ broker, kafka, invoke, msk: { topic, batchSize: 2, maximumBatchingWindow: 60, maximumRetryAttempts: 0, destinations: { onFailure: `${topic}-dlq` } } });
    runners.push(runner);
    await runner.start();
  }

  const committed = async (topic: string) => (await committedOffsets(kafka, `esm-test-test-detector-${topic}`, topic))[0];

  it('retries throttles and 5xx of the Invoke API without using up maximumRetryAttempts', async () => {
    // Prepare
    const topic = 'throttled';
    const api = new LambdaApi(await pickFreePort('127.0.0.1'), [throttled, serviceFailed, throttled, unavailable]);
    await api.start();
    const lambda = lambdaApiInvoke(api.port);
    cleanups.push(() => lambda.close(), () => api.stop());
    // Act
    await mappingWithoutRetries(topic, lambda.invoke);
    await waitFor('the commit past both records', async () => (await committed(topic)) === 2);
    // Assess: four refused calls, then the function ran once with the batch; nothing dead-lettered
    expect(api.calls).toBe(5);
    expect(api.runs.map(eventValues)).toEqual([['r0', 'r1']]);
    expect(await topicEnd(kafka, `${topic}-dlq`)).toBe(0);
  });

  it('retries while the Lambda API refuses connections, and delivers once it is up', async () => {
    // Prepare: nothing listens on the port yet
    const topic = 'api-down';
    const api = new LambdaApi(await pickFreePort('127.0.0.1'), []);
    const lambda = lambdaApiInvoke(api.port);
    cleanups.push(() => lambda.close(), () => api.stop());
    quietLogger.errors.length = 0;
    await mappingWithoutRetries(topic, lambda.invoke);
    await waitFor('refused Invoke calls', () => quietLogger.errors.filter((message) => message.includes('the Invoke call failed')).length >= 3);
    // Act
    await api.start();
    await waitFor('the commit past both records', async () => (await committed(topic)) === 2);
    // Assess
    expect(api.runs.map(eventValues)).toEqual([['r0', 'r1']]);
    expect(await topicEnd(kafka, `${topic}-dlq`)).toBe(0);
  });

  it('counts a function error against maximumRetryAttempts', async () => {
    // Prepare
    const topic = 'function-error';
    const api = new LambdaApi(await pickFreePort('127.0.0.1'), [functionFailed]);
    await api.start();
    const lambda = lambdaApiInvoke(api.port);
    cleanups.push(() => lambda.close(), () => api.stop());
    // Act
    await mappingWithoutRetries(topic, lambda.invoke);
    await waitFor('the commit past both records', async () => (await committed(topic)) === 2);
    // Assess: no retry allowed, so the batch went to the on-failure topic
    expect(api.calls).toBe(1);
    expect(await topicEnd(kafka, `${topic}-dlq`)).toBe(2);
  });
});
