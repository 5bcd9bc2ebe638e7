import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let s3: TestS3;

beforeAll(async () => {
  s3 = await startTestS3(['log-anomaly-dashboard']);
});
afterAll(async () => {
  await s3?.stop();
});

/** `npm run dashboard:deploy`'s entry point as a child process (node with tsx's loader). */
function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/dashboard/cli.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', DASHBOARD_BUCKET: 'log-anomaly-dashboard', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run dashboard:deploy', () => {
  it('builds, uploads and prints the URL as JSON', async () => {
    // Act
    const result = await runCli(['deploy']);

    // Assess
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as { url: string; verified: boolean; policy: string };
    expect(printed).toMatchObject({ url: `${s3.endpoint}/log-anomaly-dashboard/`, verified: true, policy: 'not-supported' });
    expect(await (await fetch(printed.url)).text()).toContain('Real-Time Monitoring');
  });

  it('exits 2 with the usage on an unknown flag or command, and on a bad bucket or URL', async () => {
    // Act
    const results = await Promise.all([
      runCli(['deploy', '--bukket', 'x']),
      runCli(['publish']),
      runCli(['deploy', '--bucket', 'UPPER']),
      runCli(['deploy', '--website-url', 'javascript:alert(1)']),
    ]);

    // Assess
    expect(results.map((result) => result.code)).toEqual([2, 2, 2, 2]);
    expect(results[0]!.stderr).toMatch(/Unknown option '--bukket'[\s\S]*usage: dashboard build/);
    expect(results[1]!.stderr).toMatch(/unknown command "publish"/);
    expect(results[2]!.stderr).toMatch(/dashboard bucket must be an S3 bucket name/);
    expect(results[3]!.stderr).toMatch(/--website-url must be an http\(s\) URL/);
  });
});
