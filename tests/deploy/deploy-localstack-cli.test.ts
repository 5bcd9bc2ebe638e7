import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localStackEnv } from '../../infra/deploy/deploy-localstack.js';
import { checkLocalStack } from '../../infra/deploy/localstack-preflight.js';
import { repoRoot } from '../../infra/deploy/osls.js';
import { freePort } from '../helpers/free-port.js';

const run = promisify(execFile);

async function deployCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'infra/deploy/deploy-localstack.ts', ...args], { cwd: repoRoot, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('npm run deploy:localstack', () => {
  it('refuses bad options with exit status 2 and the usage', async () => {
    // Prepare
    const cases = [['--endpoint', 'ftp://127.0.0.1:4566'], ['--endpoint', 'http://user:secret@127.0.0.1:4566'], ['--region', 'Moon-1'], ['--bogus'], ['--endpoint'], ['stray']];

    // Act
    const results = await Promise.all(cases.map(deployCli));

    // Assess
    for (const [index, result] of results.entries()) {
      expect(result.code, cases[index]!.join(' ')).toBe(2);
      expect(result.stderr).toContain('usage: npm run deploy:localstack');
    }
    expect(results[1]!.stderr).not.toContain('secret');
  });

  it('says LocalStack is not answering, and how to start it, when nothing listens at the endpoint', async () => {
    // Prepare
    const port = await freePort();

    // Act
    const result = await deployCli(['--endpoint', `http://127.0.0.1:${port}`]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`LocalStack is not answering at http://127.0.0.1:${port} (ECONNREFUSED)`);
    expect(result.stderr).toContain('docker compose up -d localstack');
  });

  it("gives osls LocalStack's endpoint and dummy credentials, dropping service-specific endpoints and profiles", () => {
    // Prepare
    const shell = { PATH: '/usr/bin', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', AWS_PROFILE: 'prod', AWS_SESSION_TOKEN: 'token', AWS_ACCESS_KEY_ID: 'AKIAREAL' };

    // Act
    const env = localStackEnv(shell, 'http://127.0.0.1:4566', 'eu-west-1');

    // Assess
    expect(env).toEqual({
      PATH: '/usr/bin',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
});

/**
 * LocalStack cannot run here; its two status endpoints (/_localstack/health, /_localstack/init/ready)
 * are served by a small HTTP server with the answers LocalStack gives, to check each verdict.
 */
describe('the LocalStack preflight check', () => {
  let server: Server;
  let endpoint: string;
  let answers: Record<string, { status?: number; body: string }>;

  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = answers[request.url ?? ''] ?? { status: 404, body: '{}' };
      response.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const healthy = JSON.stringify({ edition: 'community', version: '4.14.0', services: { s3: 'running', lambda: 'available', cloudformation: 'available', iam: 'available', sts: 'available', logs: 'available', sqs: 'disabled' } });
  const ready = JSON.stringify({ completed: true, scripts: [{ stage: 'READY', name: '10-buckets.sh', state: 'SUCCESSFUL' }] });

  it('accepts a LocalStack with the services a deploy needs and its init hook done', async () => {
    // Prepare
    answers = { '/_localstack/health': { body: healthy }, '/_localstack/init/ready': { body: ready } };

    // Act
    const report = await checkLocalStack(endpoint);

    // Assess
    expect(report).toEqual({ version: '4.14.0', edition: 'community' });
  });

  it('names the services that are not up, and mentions the auth token newer images need', async () => {
    // Prepare
    const services = { s3: 'running', lambda: 'disabled', cloudformation: 'available', iam: 'available', sts: 'available' };
    answers = { '/_localstack/health': { body: JSON.stringify({ services }) }, '/_localstack/init/ready': { body: ready } };

    // Act, Assess
    await expect(checkLocalStack(endpoint)).rejects.toThrow(/cannot take a deploy: lambda=disabled, logs=absent\. .*LOCALSTACK_AUTH_TOKEN/);
  });

  it('says when the init hook failed, has not run, or is not mounted', async () => {
    // Prepare
    const failed = JSON.stringify({ completed: true, scripts: [{ stage: 'READY', name: '10-buckets.sh', state: 'ERROR' }] });
    const pending = JSON.stringify({ completed: false, scripts: [{ stage: 'READY', name: '10-buckets.sh', state: 'UNKNOWN' }] });
    const none = JSON.stringify({ completed: true, scripts: [] });
    const verdicts: string[] = [];

    // Act
    for (const body of [failed, pending, none]) {
      answers = { '/_localstack/health': { body: healthy }, '/_localstack/init/ready': { body } };
      verdicts.push(await checkLocalStack(endpoint).then(() => 'accepted', (error: Error) => error.message));
    }

    // Assess
    expect(verdicts[0]).toContain("init hook failed (10-buckets.sh): see `docker compose logs localstack`");
    expect(verdicts[1]).toContain('init hooks have not run yet; wait for `docker compose ps` to show localstack healthy');
    expect(verdicts[2]).toContain('is localstack/init/ready.d mounted at /etc/localstack/init/ready.d?');
  });

  it('refuses something that is not LocalStack: an error status, a non-JSON body, an oversize answer', async () => {
    // Prepare
    const bodies = [{ status: 503, body: 'down' }, { body: '<html>hello</html>' }, { body: `{"x":"${'a'.repeat(300_000)}"}` }];
    const verdicts: string[] = [];

    // Act
    for (const answer of bodies) {
      answers = { '/_localstack/health': answer };
      verdicts.push(await checkLocalStack(endpoint).then(() => 'accepted', (error: Error) => error.message));
    }

    // Assess
    expect(verdicts[0]).toContain('answered /_localstack/health with HTTP 503');
    expect(verdicts[1]).toContain('something other than a JSON object: is it LocalStack?');
    expect(verdicts[2]).toContain('with more than 262144 bytes');
  });
});
