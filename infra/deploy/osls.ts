/**
 * Runs the osls CLI (the `serverless` devDependency) as a child process of this Node, in the
 * repository, with an environment the caller builds. Its stderr (progress, warnings) is passed
 * through with a prefix; stdout is captured (for `print`) or passed through.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InfrastructureError } from '../../functions/shared/errors.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const oslsBin = fileURLToPath(new URL('../../node_modules/serverless/bin/serverless.js', import.meta.url));

export interface OslsRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface OslsOptions {
  readonly env: NodeJS.ProcessEnv;
  /** Service directory (default: the repository). */
  readonly cwd?: string;
  /** true: stdout is returned, not printed. */
  readonly captureStdout?: boolean;
  /** Where progress goes (default process.stderr). */
  readonly progress?: NodeJS.WritableStream;
}

/** Output kept for an error message when the command fails (characters). */
const keptOutputChars = 4000;

export function runOsls(args: readonly string[], options: OslsOptions): Promise<OslsRun> {
  const progress = options.progress ?? process.stderr;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [oslsBin, ...args], { cwd: options.cwd ?? repoRoot, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (options.captureStdout) stdout += chunk.toString();
      else progress.write(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-keptOutputChars);
      progress.write(chunk);
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once('SIGINT', forward);
    process.once('SIGTERM', forward);
    const done = () => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    };
    child.once('error', (error) => {
      done();
      reject(new InfrastructureError(`could not run osls (${oslsBin}): ${error.message}`, { cause: error }));
    });
    child.once('close', (code) => {
      done();
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs osls and throws InfrastructureError (with the end of its output) unless it exits 0. */
export async function runOslsOrThrow(args: readonly string[], options: OslsOptions): Promise<OslsRun> {
  const run = await runOsls(args, options);
  if (run.code !== 0) {
    const tail = (run.stderr || run.stdout).trim().split('\n').slice(-15).join('\n');
    throw new InfrastructureError(`serverless ${args.slice(0, 3).join(' ')} failed (exit ${run.code}):\n${tail}`);
  }
  return run;
}
