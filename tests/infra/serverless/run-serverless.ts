import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const serverlessBin = fileURLToPath(new URL('../../../node_modules/serverless/bin/serverless.js', import.meta.url));

/** What a service directory needs besides serverless.yml: its local plugin, the handlers and their dependencies. */
const serviceEntries = ['package.json', 'tsconfig.json', 'infra', 'functions', 'node_modules'];

export interface ServiceSandbox {
  /** A directory that looks like the repository to osls (symlinks), with its own .build/ and no .env. */
  readonly dir: string;
  remove(): Promise<void>;
}

/**
 * osls reads `.env` from the directory it runs in and the bundle plugin writes `.build/` there: a
 * sandbox keeps a developer's .env (from `npm run local:services`) out of the tests and the tests'
 * bundles out of the repository. `editConfig` may change the copied serverless.yml.
 */
export async function createServiceSandbox(editConfig: (yaml: string) => string = (yaml) => yaml): Promise<ServiceSandbox> {
  const dir = await mkdtemp(join(tmpdir(), 'sls-service-'));
  const config = editConfig(await readFile(join(repoRoot, 'serverless.yml'), 'utf8'));
  await writeFile(join(dir, 'serverless.yml'), config); // a real file: osls does not take a symlink
  for (const entry of serviceEntries) await symlink(join(repoRoot, entry), join(dir, entry));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every variable serverless.yml or the functions read: cleared so a developer's shell or .env cannot leak in. */
const pipelineVariables = [
  'KAFKA_BOOTSTRAP_SERVERS', 'MSK_CLUSTER_ARN', 'AWS_ENDPOINT_URL_KAFKA', 'KAFKA_TOPIC', 'METRICS_TOPIC', 'KAFKA_SSL',
  'DATABASE_URL', 'POSTGRES_HOST', 'POSTGRES_PORT', 'POSTGRES_DB', 'POSTGRES_USER', 'POSTGRES_PASSWORD',
  'AWS_ENDPOINT_URL_S3', 'S3_FORCE_PATH_STYLE', 'MODEL_BUCKET', 'DASHBOARD_BUCKET', 'AGGREGATOR_DASHBOARD_BUCKET', 'EXPERIMENT_ID', 'AWS_REGION', 'AWS_PROFILE',
  'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'TRAINING_WINDOW', 'FIRST_TRAINING_WINDOW',
];

/**
 * The environment osls runs with in tests: no route to the internet or to AWS (every proxy and
 * AWS endpoint points at a closed local port, instance metadata is off), so a command that tried
 * to reach the network would fail instead of succeeding or hanging. Pipeline variables come only
 * from `values`, never from the test runner's own environment.
 */
export function offlineEnv(values: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of pipelineVariables) delete env[name];
  const closed = 'http://127.0.0.1:9';
  return {
    ...env,
    HTTP_PROXY: closed,
    HTTPS_PROXY: closed,
    http_proxy: closed,
    https_proxy: closed,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    AWS_ENDPOINT_URL: closed,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'test-access-key',
    AWS_SECRET_ACCESS_KEY: 'test-secret-key',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...values,
  };
}

export interface ServerlessRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the osls CLI in `serviceDir`; kills it (and rejects) after `timeoutMs`. */
export function runServerless(serviceDir: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<ServerlessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [serverlessBin, ...args], { cwd: serviceDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serverless ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The invocation result `invoke local` prints last: a pretty-printed JSON object starting at a line "{". */
export function invocationResult(stdout: string): Record<string, unknown> {
  const lines = stdout.trimEnd().split('\n');
  const start = lines.lastIndexOf('{');
  if (start === -1 || lines[lines.length - 1] !== '}') throw new Error(`no JSON result in the output:\n${stdout}`);
  return JSON.parse(lines.slice(start).join('\n')) as Record<string, unknown>;
}

/** Explains a failed run in an assertion message. */
export function describeRun(run: ServerlessRun): string {
  return `exit ${run.code}\nstdout:\n${run.stdout.slice(-4000)}\nstderr:\n${run.stderr.slice(-4000)}`;
}
