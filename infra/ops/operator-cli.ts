/**
 * The shape of the interactive operator commands (psql, topics, stats): `main` writes its own
 * output and returns the exit code; a failure is ONE line on stderr, "<name>: <message>", exit 2
 * for usage and configuration errors (pointing at --help), 1 for everything else. Messages come
 * from the pipeline errors, which never hold a password.
 */
import { ConfigError } from '../../functions/shared/errors.js';

export async function runOperator(name: string, main: (argv: string[]) => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await main(process.argv.slice(2))) ?? 0;
  } catch (error) {
    const message = oneLine((error as Error)?.message ?? String(error));
    const usage = error instanceof ConfigError ? ` (see \`npm run ${name} -- --help\`)` : '';
    process.stderr.write(`${name}: ${message}${usage}\n`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  }
}

/** The first line of a message (parseFlags appends the usage on the next ones). */
export function oneLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

/** "--env-path FILE | --no-env": the flags every operator command takes to find the stack's settings. */
export const envFlagSpecs = { 'env-path': { kind: 'text' }, 'no-env': { kind: 'switch' } } as const;
