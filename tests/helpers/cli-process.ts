import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ReadyBroker {
  child: ChildProcessWithoutNullStreams;
  bootstrap: string;
  controlPlaneUrl: string | null;
  /** The ARN the control plane registers the cluster under. */
  clusterArn: string;
  /** Everything the process printed on stderr so far (grows). */
  stderr: () => string;
}

/**
 * Runs `npm run kafka`'s entry point (`infra/local-msk/cli.ts`) as a real child process. It is
 * node itself with tsx's loader (not the tsx binary, which runs node as a grandchild), so a
 * SIGKILL sent to the child kills the broker.
 */
export function spawnLocalMsk(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'infra/local-msk/cli.ts', ...args], { cwd: repoRoot, env: { ...process.env, LOCAL_MSK_LOG_LEVEL: 'warn', ...env } });
}

/** Spawns the local MSK (with `env` added to this process's environment) and resolves once it prints its ready line. */
export function startLocalMskProcess(args: string[], env: Record<string, string> = {}): Promise<ReadyBroker> {
  const child = spawnLocalMsk(args, env);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /local MSK ready: bootstrap=(\S+) controlPlane=(\S+) clusterArn=(\S+)/.exec(stdout);
      if (ready) {
        resolve({ child, bootstrap: ready[1]!, controlPlaneUrl: ready[2] === 'disabled' ? null : ready[2]!, clusterArn: ready[3]!, stderr: () => stderr });
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`local MSK exited early (code ${code}, signal ${signal}): ${stderr}`)));
  });
}

/** Resolves with the exit code (or signal) once the child has exited. */
export function waitForExit(child: ChildProcessWithoutNullStreams): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
