import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { LocalStackError } from './errors.js';

const serverlessBin = fileURLToPath(new URL('../../node_modules/serverless/bin/serverless.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface OfflineRuntimeOptions {
  /** Service directory holding serverless.yml (the repository root by default). */
  cwd?: string;
  host: string;
  /** serverless-offline's Lambda Invoke API port. */
  lambdaPort: number;
  /** serverless-offline's HTTP (API Gateway) port, unused by this service's functions but always bound. */
  httpPort: number;
  websocketPort: number;
  stage?: string;
  /** Variables the functions and the mappings read (the local services' env), over the parent's. */
  env: Readonly<Record<string, string>>;
  /** Mapping start-up lines to wait for, one per Kafka trigger ("Kafka mapping started: function <name>"). */
  expectMappings: readonly string[];
  /** Extra node flags for the runtime process (e.g. --cpu-prof). */
  nodeArgs?: readonly string[];
  /** Every output line of the runtime (stdout and stderr). */
  onLine?: (line: string) => void;
  /** Longest wait for the runtime to come up, in ms. */
  startTimeoutMs?: number;
}

export interface OfflineRuntime {
  readonly pid: number;
  /** http://host:lambdaPort: the Lambda Invoke API the runtime serves. */
  readonly lambdaEndpoint: string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** SIGINT (the mappings stop after the batch in hand), SIGKILL to the whole group after graceMs. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the runtime's process group at once (crash tests). */
  kill(): Promise<void>;
}

/**
 * `serverless offline start` as a child process in its own process group, so stopping it also
 * stops everything it started (worker threads die with it; any grandchild gets the group's signal).
 * Resolves once every expected Kafka mapping has joined its group.
 */
export async function startOfflineRuntime(options: OfflineRuntimeOptions): Promise<OfflineRuntime> {
  const args = [
    ...(options.nodeArgs ?? []),
    serverlessBin, 'offline', 'start', '--noSponsor',
    '--host', options.host,
    '--httpPort', String(options.httpPort),
    '--lambdaPort', String(options.lambdaPort),
    '--websocketPort', String(options.websocketPort),
    ...(options.stage === undefined ? [] : ['--stage', options.stage]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, ...options.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', STOP_WITH_PARENT_PID: String(process.pid) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | NodeJS.Signals>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 1)));
  const tail: string[] = [];
  const pending = new Set(options.expectMappings);
  let ready: () => void = () => undefined;
  const allStarted = new Promise<void>((resolve) => (ready = resolve));
  if (pending.size === 0) ready();
  const onText = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 40) tail.shift();
      options.onLine?.(line);
      for (const name of pending) {
        if (line.includes(`Kafka mapping started: function ${name},`)) pending.delete(name);
      }
      if (pending.size === 0) ready();
    }
  };
  child.stdout!.on('data', onText);
  child.stderr!.on('data', onText);

  const runtime = handle(child, exited, `http://${options.host}:${options.lambdaPort}`);
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    allStarted.then(() => 'ready' as const),
    exited.then((code) => ({ exited: code })),
    new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
  ]);
  clearTimeout(timer);
  if (outcome === 'ready') return runtime;
  await runtime.kill();
  const why = outcome === 'timeout' ? `did not start its Kafka mappings within ${timeoutMs / 1000} s` : `exited (${String(outcome.exited)}) during start-up`;
  throw new LocalStackError(`serverless offline ${why}; its last output:\n${tail.join('\n')}`);
}

function handle(child: ChildProcess, exited: Promise<number | NodeJS.Signals>, lambdaEndpoint: string): OfflineRuntime {
  const alive = () => child.exitCode === null && child.signalCode === null;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  return {
    pid: child.pid!,
    lambdaEndpoint,
    exited,
    async stop(graceMs = 15_000) {
      if (!alive()) return void signalGroup('SIGKILL');
      signalGroup('SIGINT');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      signalGroup('SIGKILL'); // anything left in the group
    },
    async kill() {
      signalGroup('SIGKILL');
      await exited;
    },
  };
}
