import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BrokerProcess {
  child: ChildProcess;
  /** "host:port" the broker listens on. */
  bootstrap: string;
  /** SIGTERM, then waits for the exit (the broker fsyncs and closes its files first). */
  stop(): Promise<void>;
}

/**
 * Starts the local MSK CLI as a child process (`node --import tsx`, so a kill reaches the broker
 * itself), with file storage under `dataDir` or in memory when it is null. `nodeArgs` go to node
 * (e.g. `--cpu-prof`); the broker's warnings and errors pass through to this process's stderr.
 */
export function startBrokerProcess(dataDir: string | null, nodeArgs: readonly string[] = []): Promise<BrokerProcess> {
  const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
  const args = [...nodeArgs, '--import', 'tsx', cli, '--port', '0', '--no-control-plane', '--log-level', 'warn', ...(dataDir ? ['--data-dir', dataDir] : ['--in-memory'])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /bootstrap=(\S+)/.exec(out);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({
          child,
          bootstrap: match[1]!,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`broker exited with code ${code} before it was ready`)));
  });
}
