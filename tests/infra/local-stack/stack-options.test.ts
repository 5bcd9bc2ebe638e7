import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalServicesUsageError, PortInUseError } from '../../../infra/local-services/errors.js';
import { defaultLocalServicesOptions } from '../../../infra/local-services/options.js';
import { defaultProducerRate, parseStackArgs, stackUsage } from '../../../infra/local-stack/stack-options.js';
import { startLocalStack } from '../../../infra/local-stack/start-stack.js';

describe('npm start options', () => {
  it('defaults to the embedded services, serverless-offline ports and one producer at the seed rate', () => {
    const { options, help } = parseStackArgs([], '/tmp', {});
    expect(help).toBe(false);
    expect(options).toMatchObject({ kafkaPort: 9092, postgresPort: 5433, s3Port: 4569, lambdaPort: 3002, httpPort: 3000, websocketPort: 3001, producerRate: defaultProducerRate, stage: 'dev', external: {} });
  });

  it('takes stack flags and local-services flags together', () => {
    const { options } = parseStackArgs(['--rate=250', '--lambda-port', '0', '--kafka-port', '19092', '--stage', 'demo'], '/tmp', {});
    expect(options).toMatchObject({ producerRate: 250, lambdaPort: 0, kafkaPort: 19092, stage: 'demo' });
    expect(parseStackArgs(['--no-producer'], '/tmp', {}).options.producerRate).toBeNull();
    expect(parseStackArgs(['--help'], '/tmp', {}).help).toBe(true);
    expect(stackUsage()).toContain('--rate');
    expect(stackUsage()).toContain('--kafka-port');
  });

  it.each([
    [['--rate', '0'], '--rate'],
    [['--rate', 'fast'], '--rate'],
    [['--rate', '5001'], 'at most 5000'],
    [['--lambda-port', '70000'], '--lambda-port'],
    [['--stage', 'a b'], '--stage'],
    [['--no-producer=yes'], 'takes no value'],
    [['--rate'], 'needs a value'],
    [['--lambda-port', '9092'], 'port 9092 is given to two services'],
    [['--bogus'], 'unknown option'],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    expect(() => parseStackArgs(argv, '/tmp', {})).toThrow(LocalServicesUsageError);
    expect(() => parseStackArgs(argv, '/tmp', {})).toThrow(message);
  });
});

describe('npm start on a busy port', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('refuses before starting anything, naming the service and the flag', async () => {
    const attempt = startLocalStack({ ...defaultLocalServicesOptions, kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, lambdaPort: port, httpPort: 0, websocketPort: 0, producerRate: null, stage: 'dev', dataDir: '/tmp/never-created-stack', envFile: null });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toContain(`serverless-offline Lambda API port ${port}`);
    expect((error as Error).message).toContain('--lambda-port');
  });
});
