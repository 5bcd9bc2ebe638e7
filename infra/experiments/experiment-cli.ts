/** `npm run experiment`: one experiment; see experiment-args.ts for the arguments. */
import '../process/quiet-sdk-notice.js';
import { parseExperimentArgs, experimentUsage } from './experiment-args.js';
import { exitCodes, interruptSignal, loadServicesModule, reportFailure } from './cli-runtime.js';
import { ProgressDisplay, runLine } from './progress.js';
import { groupRuns } from './result-groups.js';
import { comparisonTable } from './results-table.js';
import { runExperiment } from './run-experiment.js';
import type { ExperimentServices } from './services.js';
import { getExperiment } from '../../functions/shared/db/index.js';

async function main(argv: readonly string[]): Promise<number> {
  const display = new ProgressDisplay(process.stderr);
  const note = (line: string) => display.note(line);
  const interrupt = interruptSignal(note);
  let services: ExperimentServices | null = null;
  try {
    const command = parseExperimentArgs(argv);
    if (command.help || command.spec === null) {
      process.stdout.write(`${experimentUsage}\n`);
      return exitCodes.ok;
    }
    const spec = command.spec;
    services = await (await loadServicesModule()).resolveServices({ embedded: command.embedded, note });
    note(`services: ${services.origin}; brokers ${services.brokers.join(',')}`);
    if (spec.consumers > spec.partitions) note(`note: ${spec.consumers - spec.partitions} of ${spec.consumers} pollers will be idle (${spec.partitions} partitions)`);
    const result = await runExperiment(spec, {
      services,
      signal: interrupt.signal,
      onProgress: (progress) => display.update(`${progress.experimentId} ${runLine(progress)}`),
    });
    display.clear();
    if (command.json) {
      process.stdout.write(`${JSON.stringify({ experimentId: result.experimentId, status: 'completed', summary: result.summary })}\n`);
    } else {
      const row = await getExperiment(services.pool, result.experimentId);
      process.stdout.write(`experiment ${result.experimentId} completed\n\n${comparisonTable(groupRuns(row === null ? [] : [row]))}\n`);
      for (const line of result.summary.notes) process.stdout.write(`note: ${line}\n`);
      process.stdout.write(`\nreport: npm run experiment:report -- ${result.experimentId}\n`);
    }
    return exitCodes.ok;
  } catch (error) {
    display.clear();
    return reportFailure(error, experimentUsage, (text) => process.stderr.write(text));
  } finally {
    interrupt.dispose();
    await services?.close().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
// Kafka clients and timers of a failed run must not keep the process alive.
setTimeout(() => process.exit(), 2_000).unref();
