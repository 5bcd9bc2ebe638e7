/**
 * The three parts a chaos run kills and restarts, each a real OS process in its own group:
 *
 * - broker:   `npm run kafka`'s entry (infra/local-msk/cli.ts) with file storage in the run's
 *             directory, on a fixed port so clients find it again after a restart;
 * - postgres: postgres-entry.ts (the local stack's embedded PostgreSQL), data in the run's
 *             directory, fixed port;
 * - runtime:  runtime-entry.ts (event-source mapping + detector).
 *
 * A Component knows how to start its process and waits, on every start, until it is ready.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessGroups, killComponent, startComponent, stopComponent, type ComponentSpawn, type ExitStatus, type RunningComponent } from './component-process.js';
import type { FaultKind } from './schedule.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Longest wait for a component to be ready, in ms: generous, a loaded 2-core machine is slow. */
const readyTimeoutMs: Record<FaultKind, number> = {
  broker: 120_000,
  // Crash recovery replays the WAL written since the last checkpoint.
  postgres: 180_000,
  // The pollers rejoin the group only once the killed members' sessions (10 s) have expired.
  runtime: 180_000,
};

/** Grace for a clean stop at the end of the run before SIGKILL, in ms. */
const stopGraceMs = 20_000;

export class Component {
  private running: RunningComponent | null = null;

  constructor(
    readonly kind: FaultKind,
    private readonly spawnSpec: () => ComponentSpawn,
    private readonly groups: ProcessGroups,
  ) {}

  /** The current process's pid (its group id), or null when it is not running. */
  get pid(): number | null {
    return this.running?.pid ?? null;
  }

  /** Starts the process and resolves with its ready line's match once it is ready. */
  async start(): Promise<RegExpExecArray> {
    this.running = await startComponent(this.spawnSpec(), this.groups);
    return this.running.match;
  }

  /** SIGKILL to the component's process group (a fault); resolves once it is dead. */
  async kill(): Promise<ExitStatus | null> {
    const running = this.running;
    this.running = null;
    return running === null ? null : killComponent(running);
  }

  /** A clean stop (SIGTERM, SIGKILL after a grace period). */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = null;
    if (running !== null) await stopComponent(running, stopGraceMs);
  }
}

export interface ComponentSettings {
  /** The run's directory: data of each component under it, logs in `<runDir>/logs`. */
  readonly runDir: string;
  readonly brokerPort: number;
  readonly postgresPort: number;
  /** Service settings of the functions runtime (endpoints, bucket, credentials), read at each start. */
  readonly runtimeEnv: () => NodeJS.ProcessEnv;
}

/**
 * Settings a child must not take from this shell (a DATABASE_URL, a broker's LOCAL_MSK_DATA_DIR or
 * test fault injection, AWS credentials): the run gives each child its own.
 */
export function isServiceVariable(name: string): boolean {
  return /^(KAFKA_|LOCAL_MSK_|POSTGRES_|AWS_|MSK_)/.test(name) || ['DATABASE_URL', 'MODEL_BUCKET', 'DASHBOARD_BUCKET', 'METRICS_TOPIC'].includes(name);
}

/** Environment of every child: ours without service settings, plus `extra`, told to stop when this process is gone. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !isServiceVariable(name)));
  return { ...inherited, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...extra, STOP_WITH_PARENT_PID: String(process.pid) };
}

export function createComponents(settings: ComponentSettings, groups: ProcessGroups): Record<FaultKind, Component> {
  const logFile = (name: string) => join(settings.runDir, 'logs', `${name}.log`);
  const broker = new Component(
    'broker',
    () => ({
      name: 'broker',
      // node with tsx's loader, not the tsx binary (which would run node as a grandchild).
      args: [
        '--import', 'tsx', '--import', here('./orphan-guard.ts'), join(repoRoot, 'infra/local-msk/cli.ts'),
        '--port', String(settings.brokerPort), '--host', '127.0.0.1', '--advertised-host', '127.0.0.1',
        '--data-dir', join(settings.runDir, 'kafka'), '--no-control-plane', '--partitions', '3', '--log-level', 'warn',
      ],
      env: childEnv(),
      cwd: repoRoot,
      logFile: logFile('broker'),
      ready: /local MSK ready: bootstrap=(\S+) controlPlane=\S+ clusterArn=(\S+)/,
      readyTimeoutMs: readyTimeoutMs.broker,
    }),
    groups,
  );
  const postgres = new Component(
    'postgres',
    () => ({
      name: 'postgres',
      args: ['--import', 'tsx', here('./postgres-entry.ts'), '--port', String(settings.postgresPort), '--data-dir', join(settings.runDir, 'pg')],
      env: childEnv(),
      cwd: repoRoot,
      logFile: logFile('postgres'),
      ready: /chaos postgres ready/,
      readyTimeoutMs: readyTimeoutMs.postgres,
    }),
    groups,
  );
  const runtime = new Component(
    'runtime',
    () => ({
      name: 'runtime',
      args: ['--import', 'tsx', here('./runtime-entry.ts')],
      env: childEnv(settings.runtimeEnv()),
      cwd: repoRoot,
      logFile: logFile('runtime'),
      ready: /chaos runtime ready/,
      readyTimeoutMs: readyTimeoutMs.runtime,
    }),
    groups,
  );
  return { broker, postgres, runtime };
}
