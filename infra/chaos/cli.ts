/**
 * `npm run chaos -- [--minutes 3] [--rate 5000] [--seed N] [--faults N] [--json] [--keep]`
 *
 * A repeatable chaos run of the pipeline (run-chaos.ts): prints each fault as it happens, then one
 * JSON line with the counts and a short summary. With --json the JSON line is the only thing on
 * stdout (the rest goes to stderr). Exit status: 0 every produced record stored exactly once;
 * 1 records lost or duplicated, or the pipeline did not drain; 2 bad flags; 3 the harness failed;
 * 130 interrupted (Ctrl-C: everything the run started is killed and its directory removed).
 */
import '../process/quiet-sdk-notice.js';
import { ChaosUsageError, parseChaosArgs, usage } from './options.js';
import { humanSummary, jsonLine } from './report.js';
import { ChaosRun } from './run-chaos.js';

async function main(): Promise<number> {
  let options;
  try {
    options = parseChaosArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ChaosUsageError)) throw error;
    process.stderr.write(`chaos: ${error.message}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const human = (text: string) => (options.json ? process.stderr : process.stdout).write(`${text}\n`);
  const run = new ChaosRun(options, { line: human });

  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`chaos: ${signal}; killing everything the run started\n`);
    void run.abort().finally(() => process.exit(130));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);

  try {
    const result = await run.execute();
    process.stdout.write(`${jsonLine(result)}\n`);
    human(humanSummary(result));
    return result.ok ? 0 : 1;
  } catch (error) {
    if (interrupted) return await new Promise<number>(() => undefined); // abort() exits
    process.stderr.write(`chaos: the run could not finish: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(3);
  },
);
