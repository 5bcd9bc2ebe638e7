import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/shared/errors.js';
import { parseProducerLoopArgs } from '../../../infra/deploy/producer-loop-cli.js';
import { repoRoot } from '../../../infra/deploy/osls.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('parseProducerLoopArgs', () => {
  it('reads the endpoint, the function and the defaults (the seed rate of 1 record/s)', () => {
    // Act
    const settings = parseProducerLoopArgs(['--lambda-endpoint', 'http://localstack:4566/', '--function', 'log-anomaly-detection-localstack-producer']);

    // Assess
    expect(settings).toEqual({ endpoint: 'http://localstack:4566', functionName: 'log-anomaly-detection-localstack-producer', rate: 1, invocationSeconds: 600, region: 'us-east-1', producerId: 'compose-producer' });
  });

  it.each([
    [['--function', 'f'], /--lambda-endpoint is required/],
    [['--lambda-endpoint', 'http://x:1'], /--function is required/],
    [['--lambda-endpoint', 'http://x:1', '--function', 'f', '--rate', '0'], /--rate must be a number of records\/s above 0 and at most 5000 \(got "0"\)/],
    [['--lambda-endpoint', 'http://x:1', '--function', 'f', '--rate', 'fast'], /--rate must be a number/],
    [['--lambda-endpoint', 'http://x:1', '--function', 'f', '--invocation-seconds', '900'], /--invocation-seconds must be a whole number from 10 to 840/],
    [['--lambda-endpoint', 'ftp://x:1', '--function', 'f'], /--lambda-endpoint must be an http:\/\/ or https:\/\/ URL/],
    [['--lambda-endpoint', 'http://x:1', '--function', 'no spaces'], /--function must be a Lambda function name/],
  ])('refuses %j with a ConfigError and the usage', (argv, message) => {
    // Act
    const failure = (() => {
      try {
        parseProducerLoopArgs(argv);
      } catch (error) {
        return error;
      }
      return null;
    })();

    // Assess
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).toContain('usage: producer-loop-cli.ts');
  });
});

/**
 * The loop against a Lambda Invoke API: LocalStack cannot run here, so a small HTTP server answers
 * POST /2015-03-31/functions/<name>/invocations the way Lambda does; the CLI's real SDK client calls it.
 */
describe('producer-loop-cli.ts as compose runs it', () => {
  let server: Server;
  let endpoint: string;
  const invocations: Array<{ path: string; payload: Record<string, unknown> }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        invocations.push({ path: request.url ?? '', payload: JSON.parse(body) as Record<string, unknown> });
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sent: 10 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('invokes the producer again each time an invocation returns, at the given rate, and exits 0 on SIGTERM', async () => {
    // Prepare
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/deploy/producer-loop-cli.ts', '--lambda-endpoint', endpoint, '--function', 'log-anomaly-detection-localstack-producer', '--rate', '2', '--invocation-seconds', '30'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

    // Act
    await waitFor('three invocations', () => invocations.length >= 3, 30_000);
    child.kill('SIGTERM');
    const code = await exited;

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain('"message":"producer loop started"');
    expect(invocations[0]).toEqual({ path: '/2015-03-31/functions/log-anomaly-detection-localstack-producer/invocations', payload: { rate: 2, durationSeconds: 30, producerId: 'compose-producer' } });
    expect(new Set(invocations.map((each) => JSON.stringify(each)))).toEqual(new Set([JSON.stringify(invocations[0])]));
  });
});
