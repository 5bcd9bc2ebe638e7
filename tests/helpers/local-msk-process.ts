import { connect } from 'node:net';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from './cli-process.js';

/**
 * A local MSK running as its own process (as `npm run kafka` runs it), so that a request
 * that would end the process is seen as exactly that. It can be restarted on the same
 * arguments (and data directory); with `--port 0` the port changes on every start.
 */
export class LocalMskProcess {
  private constructor(
    private readonly args: string[],
    private running: ReadyBroker,
  ) {}

  static async start(args: string[]): Promise<LocalMskProcess> {
    return new LocalMskProcess(args, await startLocalMskProcess(args));
  }

  get bootstrap(): string {
    return this.running.bootstrap;
  }

  /** Whether the current process has exited (for whatever reason). */
  get exited(): boolean {
    return this.running.child.exitCode !== null || this.running.child.signalCode !== null;
  }

  /** What the current process printed on stderr so far. */
  stderr(): string {
    return this.running.stderr();
  }

  /** How the current process ended, with the end of what it printed, for failure messages. */
  describeExit(): string {
    const { exitCode, signalCode } = this.running.child;
    return `broker exited (code ${exitCode}, signal ${signalCode}); stderr ends with:\n${this.stderr().slice(-2000)}`;
  }

  /**
   * The error to report for a request that failed: when the broker refused the connection its
   * listener is gone, which only happens when the process ends, so this waits for the exit and
   * reports it with what the process printed (its crash, usually).
   */
  async explain(error: unknown): Promise<Error> {
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED' || this.exited) {
      await waitForExit(this.running.child);
      return new Error(this.describeExit(), { cause: error });
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  /** Stops the process with SIGTERM (a clean shutdown) and resolves with its exit code. */
  async stop(): Promise<number | null> {
    if (!this.exited) this.running.child.kill('SIGTERM');
    return (await waitForExit(this.running.child)).code;
  }

  /** Stops the process cleanly and starts a new one on the same arguments. */
  async restart(): Promise<void> {
    await this.stop();
    this.running = await startLocalMskProcess(this.args);
  }

  /**
   * Starts a new process if the current one has exited or is exiting (a process that refuses
   * connections has closed its listener, which it only does on its way out). Resolves with how
   * the old one ended when it had to, else null.
   */
  async ensureRunning(): Promise<string | null> {
    if (!this.exited && (await this.acceptsConnections())) return null;
    await waitForExit(this.running.child);
    const ended = this.describeExit();
    this.running = await startLocalMskProcess(this.args);
    return ended;
  }

  private acceptsConnections(): Promise<boolean> {
    const separator = this.bootstrap.lastIndexOf(':');
    return new Promise((resolve) => {
      const socket = connect(Number(this.bootstrap.slice(separator + 1)), this.bootstrap.slice(0, separator));
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }

  /** Ends the process for good, however it is doing. */
  async kill(): Promise<void> {
    if (!this.exited) this.running.child.kill('SIGKILL');
    await waitForExit(this.running.child);
  }
}
