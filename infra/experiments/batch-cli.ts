/** `npm run experiments:batch`: the experiment suite; see batch-args.ts for the arguments. */
import '../process/quiet-sdk-notice.js';
import { listExperiments } from '../../functions/shared/db/index.js';
import { batchUsage, parseBatchArgs } from './batch-args.js';
import { exitCodes, interruptSignal, loadServicesModule, reportFailure } from './cli-runtime.js';
import { formatSeconds } from './duration.js';
import { ProgressDisplay } from './progress.js';
import { groupRuns } from './result-groups.js';
import { benchmarkTable, comparisonTable } from './results-table.js';
import { newSuiteId, planSuite, runSuite } from './run-suite.js';
import type { ExperimentServices } from './services.js';

async function main(argv: readonly string[]): Promise<number> {
  const display = new ProgressDisplay(process.stderr);
  const note = (line: string) => display.note(line);
  const interrupt = interruptSignal(note);
  let services: ExperimentServices | null = null;
  try {
    const command = parseBatchArgs(argv);
    if (command.help) {
      process.stdout.write(`${batchUsage}\n`);
      return exitCodes.ok;
    }
    const plan = planSuite(command);
    const suiteId = command.suiteId ?? newSuiteId();
    services = await (await loadServicesModule()).resolveServices({ embedded: command.embedded, note });
    const perRun = command.warmupSeconds + command.durationSeconds;
    note(`suite ${suiteId}: ${plan.length} runs of ${formatSeconds(perRun)} (+ drain, ${formatSeconds(command.cooldownSeconds)} cool-down); services: ${services.origin}`);
    if (command.suiteId === null) note(`resume after an interruption with: npm run experiments:batch -- ${[...argv, '--suite-id', suiteId].join(' ')}`);
    const outcome = await runSuite(suiteId, plan, command.cooldownSeconds, { services, signal: interrupt.signal, onProgress: (line) => display.update(line), note });
    display.clear();
    const groups = groupRuns(await listExperiments(services.pool, { suiteId, limit: 100_000 }));
    if (command.json) {
      process.stdout.write(`${JSON.stringify({ ...outcome, configurations: groups.map(({ runs, summaries, ...rest }) => ({ ...rest, experimentIds: runs.map((run) => run.id) })) })}\n`);
    } else {
      process.stdout.write(`suite ${suiteId}: ${outcome.completed.length} completed, ${outcome.skipped.length} skipped (completed earlier), ${outcome.failed.length} failed${outcome.interrupted ? ', interrupted' : ''}\n\n`);
      process.stdout.write(`${comparisonTable(groups)}\n\n${benchmarkTable(groups)}\n`);
      for (const failure of outcome.failed) process.stdout.write(`failed: ${failure.id}: ${failure.reason}\n`);
      process.stdout.write(`\nreport: npm run experiment:report -- --suite-id ${suiteId}\n`);
    }
    if (outcome.interrupted) return exitCodes.interrupted;
    return outcome.failed.length > 0 ? exitCodes.failed : exitCodes.ok;
  } catch (error) {
    display.clear();
    return reportFailure(error, batchUsage, (text) => process.stderr.write(text));
  } finally {
    interrupt.dispose();
    await services?.close().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
setTimeout(() => process.exit(), 2_000).unref();
