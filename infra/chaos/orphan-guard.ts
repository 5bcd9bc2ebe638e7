/**
 * Preloaded (`node --import tsx --import ./infra/chaos/orphan-guard.ts infra/local-msk/cli.ts …`)
 * into the broker a chaos run starts, which runs `npm run kafka`'s own entry unchanged: when the
 * chaos process that started it is gone (killed outright, so it could not clean up), the broker
 * gets a SIGTERM (its clean shutdown), and exits hard if that has not ended it within 5 s.
 * Without STOP_WITH_PARENT_PID it does nothing.
 */
import { stopWithParent } from '../process/stop-with-parent.js';

/** How long the broker gets to stop cleanly once orphaned, in ms. */
const cleanStopMs = 5_000;

stopWithParent((reason) => {
  process.stderr.write(`chaos: ${reason}; stopping the broker\n`);
  setTimeout(() => process.exit(1), cleanStopMs).unref();
  process.kill(process.pid, 'SIGTERM');
});
