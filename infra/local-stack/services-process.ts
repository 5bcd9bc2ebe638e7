import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnvFile } from '../local-services/env-file.js';
import type { LocalServicesOptions } from '../local-services/options.js';
import { LocalStackError } from './errors.js';
import { LocalServicesError } from '../local-services/errors.js';

const servicesCli = fileURLToPath(new URL('../local-services/cli.ts', import.meta.url));

export interface ServicesProcess {
  readonly pid: number;
  /** The variables the functions need to reach the services (as written to the env file). */
  readonly env: Readonly<Record<string, string>>;
  readonly kafkaBootstrap: string;
  readonly controlPlaneUrl: string;
  readonly clusterArn: string;
  readonly databaseUrl: string;
  readonly s3Endpoint: string;
  readonly envFile: string | null;
  readonly exited: Promise<number | NodeJS.Signals>;
  /** SIGTERM (Kafka flushes, PostgreSQL fast shutdown), SIGKILL to the group after graceMs. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The local services (`npm run local:services`) as a child process in its own process group: a
 * terminal's Ctrl-C then reaches only the launcher, which stops the functions first and the
 * database last (PostgreSQL, a grandchild, would otherwise get the SIGINT too and shut down under
 * a batch in flight).
 */
export async function startServicesProcess(options: LocalServicesOptions, onOutput: (text: string) => void = () => undefined, nodeArgs: readonly string[] = []): Promise<ServicesProcess> {
  const envFile = options.envFile ?? join(options.dataDir, 'stack.env');
  const args = [
    ...nodeArgs,
    '--import', 'tsx', servicesCli,
    '--host', options.host,
    '--kafka-port', String(options.kafkaPort),
    '--control-plane-port', String(options.controlPlanePort),
    '--postgres-port', String(options.postgresPort),
    '--s3-port', String(options.s3Port),
    '--data-dir', options.dataDir,
    '--env-path', envFile,
    '--region', options.region,
    '--log-level', options.logLevel,
    '--partitions', String(options.partitions),
  ];
  // Configured (real) services reach the child through its environment, never its command line
  // (a database URL holds a password; command lines are visible to every user).
  const external = options.external ?? {};
  const useEnv = Object.keys(external).length > 0;
  if (useEnv) args.push('--use-env');
  const childEnv: NodeJS.ProcessEnv = { ...process.env, STOP_WITH_PARENT_PID: String(process.pid) };
  for (const name of ['KAFKA_BOOTSTRAP_SERVERS', 'DATABASE_URL', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) delete childEnv[name];
  if (external.kafkaBootstrap !== undefined) childEnv.KAFKA_BOOTSTRAP_SERVERS = external.kafkaBootstrap;
  if (external.databaseUrl !== undefined) childEnv.DATABASE_URL = external.databaseUrl;
  if (external.s3Endpoint !== undefined) childEnv.AWS_ENDPOINT_URL_S3 = external.s3Endpoint;
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 1)));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => {
    onOutput(chunk.toString('utf8'));
    stderr += chunk.toString('utf8');
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone
    }
  };
  const ready = await new Promise<string | null>((resolve) => {
    const check = () => {
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('local services ready: '));
      if (line !== undefined) {
        child.stdout!.off('data', check);
        resolve(line);
      }
    };
    child.stdout!.on('data', check);
    void exited.then(() => resolve(null));
  });
  if (ready === null) {
    const reason = stderr.split('\n').filter((line) => line.startsWith('local services: ')).map((line) => line.slice('local services: '.length)).join('\n');
    // The child's own message (a port in use, a failed start) is the one to show.
    throw new LocalServicesError(reason || `the local services exited during start-up:\n${stderr.slice(-2000)}`);
  }
  const field = (name: string) => ready.match(new RegExp(` ${name}=(\\S+)`))?.[1] ?? '';
  const env = parseEnvFile(await readFile(envFile, 'utf8'));
  if (!env.DATABASE_URL || !env.KAFKA_BOOTSTRAP_SERVERS) {
    signalGroup('SIGKILL');
    throw new LocalStackError(`the local services wrote ${envFile} without DATABASE_URL or KAFKA_BOOTSTRAP_SERVERS`);
  }
  return {
    pid: child.pid!,
    env,
    kafkaBootstrap: env.KAFKA_BOOTSTRAP_SERVERS,
    controlPlaneUrl: field('mskControlPlane'),
    clusterArn: field('clusterArn'),
    databaseUrl: env.DATABASE_URL,
    s3Endpoint: field('s3'),
    envFile: options.envFile,
    exited,
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL');
    },
  };
}
