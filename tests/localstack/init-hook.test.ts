import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/deploy/osls.js';

const run = promisify(execFile);
const hook = join(repoRoot, 'localstack/init/ready.d/10-buckets.sh');

/**
 * The LocalStack init hook runs inside the LocalStack image, which cannot run here. Checked
 * offline: it is valid POSIX sh (dash, stricter than LocalStack's shell), refuses bad bucket names
 * before any command runs, and — with `awslocal` replaced by a recorder on PATH, since neither
 * LocalStack nor the AWS CLI is installed — makes each bucket with its settings, idempotently.
 */
describe('localstack/init/ready.d/10-buckets.sh', () => {
  let dir: string;
  let calls: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'init-hook-'));
    calls = join(dir, 'calls.log');
    // The recorder: logs its arguments; head-bucket answers "exists" only for names listed in $EXISTING.
    await writeFile(
      join(dir, 'awslocal'),
      `#!/bin/sh\necho "$*" >> "${calls}"\nif [ "$2" = head-bucket ]; then case " $EXISTING " in *" $4 "*) exit 0 ;; *) exit 254 ;; esac; fi\nexit 0\n`,
    );
    await chmod(join(dir, 'awslocal'), 0o755);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const runHook = async (env: Record<string, string>) => {
    await rm(calls, { force: true });
    try {
      const { stdout } = await run('dash', [hook], { env: { PATH: `${dir}:${process.env.PATH}`, ...env } });
      return { code: 0, stdout, stderr: '', calls: (await readFile(calls, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean) };
    } catch (error) {
      const failure = error as { code: number; stdout: string; stderr: string };
      return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr, calls: (await readFile(calls, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean) };
    }
  };

  it('is valid POSIX shell and executable', async () => {
    // Prepare, Act
    const syntax = await run('dash', ['-n', hook]);
    const { stdout: mode } = await run('stat', ['-c', '%a', hook]);

    // Assess
    expect(syntax.stderr).toBe('');
    expect(Number.parseInt(mode.trim(), 8) & 0o111).toBe(0o111);
  });

  it('refuses a bucket name S3 would refuse, or one that could pass as an option, before running anything', async () => {
    // Prepare
    const names = ['Logs', 'a', '-x-bucket', 'bucket;rm', 'x'.repeat(64), 'bucket-', '$(id)'];

    // Act
    const results = await Promise.all(names.map((name) => runHook({ DASHBOARD_BUCKET: name })));

    // Assess
    for (const [index, result] of results.entries()) {
      expect(result.code, names[index]).toBe(1);
      expect(result.stderr).toMatch(/init hook: (invalid bucket name|bucket name .* longer than 63)/);
      expect(result.calls).toEqual([]);
    }
  });

  it('creates the missing buckets: the model and deployment buckets private, the dashboard a website with a read-only public policy', async () => {
    // Prepare
    const env = { EXISTING: 'log-anomaly-models', BUCKET_SETTINGS_DIR: join(repoRoot, 'localstack/buckets') };

    // Act
    const result = await runHook(env);

    // Assess
    expect(result.code, result.stderr).toBe(0);
    const created = result.calls.filter((call) => call.startsWith('s3api create-bucket')).map((call) => call.split(' ')[3]);
    expect(created.sort()).toEqual(['log-anomaly-dashboard', 'log-anomaly-deployments']); // the model bucket existed
    const settingsOf = (bucket: string) => result.calls.filter((call) => call.includes(`--bucket ${bucket} `)).map((call) => call.split(' ')[1]);
    for (const bucket of ['log-anomaly-models', 'log-anomaly-deployments']) {
      expect(settingsOf(bucket)).toEqual(['put-bucket-ownership-controls', 'put-bucket-encryption', 'put-public-access-block']);
      expect(result.calls).toContain(`s3api put-public-access-block --bucket ${bucket} --public-access-block-configuration file://${env.BUCKET_SETTINGS_DIR}/private-public-access-block.json`);
    }
    expect(settingsOf('log-anomaly-dashboard')).toEqual(['put-bucket-ownership-controls', 'put-bucket-encryption', 'put-public-access-block', 'put-bucket-website', 'put-bucket-policy']);
    const policyCall = result.calls.find((call) => call.startsWith('s3api put-bucket-policy'))!;
    expect(JSON.parse(policyCall.slice(policyCall.indexOf('--policy ') + '--policy '.length))).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'PublicReadDashboard', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: ['arn:aws:s3:::log-anomaly-dashboard/index.html', 'arn:aws:s3:::log-anomaly-dashboard/assets/*', 'arn:aws:s3:::log-anomaly-dashboard/data/*'] }],
    });
    expect(result.stdout).toContain('http://log-anomaly-dashboard.s3-website.localhost.localstack.cloud:4566/');
  });
});
