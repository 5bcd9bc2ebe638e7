/**
 * `npm run evaluate -- --input <log file> --labels <labels file> [--input … --labels …] [--train-lines n | --train <file>] [--explain [k]] [--json]`:
 * replays each labelled log through the detector's feature and model code and prints its detection
 * quality as one JSON line per input (see run-evaluation.ts; usage in evaluate-args.ts).
 */
import '../process/quiet-sdk-notice.js';
import { ConfigError, ValidationError } from '../../functions/shared/errors.js';
import { EVALUATE_USAGE, parseEvaluateArgs } from './evaluate-args.js';
import { formatDataSet, formatSummaryTable, type ReportedDataSet } from './human-report.js';
import { loadDataSet, loadLog } from './load-data-set.js';
import { assertRegularFile } from './read-input-file.js';
import { runEvaluation, type TrainingPart } from './run-evaluation.js';
import { safeJsonLine } from './terminal-text.js';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseEvaluateArgs(argv);
  if (args.help) {
    process.stdout.write(`${EVALUATE_USAGE}\n`);
    return 0;
  }
  // Every named file first, so a run over several inputs does not fail after the first long evaluation.
  for (const { input, labels } of args.dataSets) {
    await assertRegularFile(input, 'log file');
    await assertRegularFile(labels, 'labels file');
  }
  let training: TrainingPart | undefined;
  if (args.train !== undefined) training = { kind: 'records', records: (await loadLog(args.train, 'training file', args.trainFormat, args.generic)).records };
  else if (args.trainLines !== undefined) training = { kind: 'lines', lines: args.trainLines };

  const reported: ReportedDataSet[] = [];
  for (const paths of args.dataSets) {
    const dataSet = await loadDataSet(paths.input, paths.labels, args.format, args.generic);
    const result = await runEvaluation(dataSet.records, dataSet.labels, {
      featureSet: args.features,
      thresholdRule: args.thresholdRule,
      ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize }),
      ...(training === undefined ? {} : { training }),
      ...(args.explainTop === undefined ? {} : { explain: { top: args.explainTop, lineText: (index: number) => dataSet.lines[index] ?? '' } }),
      policy: {
        ...(args.trainingWindow === undefined ? {} : { trainingWindow: args.trainingWindow }),
        ...(args.firstTrainingWindow === undefined ? {} : { firstTrainingWindow: args.firstTrainingWindow }),
        ...(args.contamination === undefined ? {} : { contamination: args.contamination }),
      },
    }).catch((error: unknown) => {
      throw error instanceof ValidationError ? new ValidationError(`${JSON.stringify(paths.input)}: ${error.message}`, { cause: error }) : error;
    });
    const entry: ReportedDataSet = { input: paths.input, ...(args.train === undefined ? {} : { train: args.train }), result };
    reported.push(entry);
    if (!args.json) process.stderr.write(`${reported.length > 1 ? '\n' : ''}${formatDataSet(entry)}`);
    process.stdout.write(`${safeJsonLine(round({ input: entry.input, ...(entry.train === undefined ? {} : { train: entry.train }), ...result }))}\n`);
  }
  if (!args.json && reported.length > 1) process.stderr.write(`\n${formatSummaryTable(reported)}`);
  return 0;
}

/** Numbers to 4 decimals (integers as they are), through objects and arrays. */
function round(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toFixed(4));
  if (Array.isArray(value)) return value.map(round);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, round(inner)]));
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const expected = error instanceof ConfigError || error instanceof ValidationError;
    process.stderr.write(`evaluate: ${expected ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
    process.exitCode = expected ? 2 : 1;
  },
);
