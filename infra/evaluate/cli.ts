/**
 * `npm run evaluate -- --input <log file> --labels <labels file> [--format …] [--features …] [--json]`:
 * replays the log through the detector's feature and model code and prints detection quality as
 * one JSON line (see run-evaluation.ts; usage in evaluate-args.ts).
 */
import '../process/quiet-sdk-notice.js';
import { ConfigError, ValidationError } from '../../functions/shared/errors.js';
import { parseLogText } from '../../functions/shared/log-formats/index.js';
import { EVALUATE_USAGE, parseEvaluateArgs } from './evaluate-args.js';
import { parseLabels } from './labels.js';
import { readInputFile } from './read-input-file.js';
import { runEvaluation } from './run-evaluation.js';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseEvaluateArgs(argv);
  if (args.help) {
    process.stdout.write(`${EVALUATE_USAGE}\n`);
    return 0;
  }
  const [logText, labelText] = await Promise.all([readInputFile(args.input, 'log file'), readInputFile(args.labels, 'labels file')]);
  const records = parseLogText(logText, args.format, args.generic);
  const labels = parseLabels(labelText);
  const result = await runEvaluation(records, labels, {
    featureSet: args.features,
    thresholdRule: args.thresholdRule,
    ...(args.batchSize === undefined ? {} : { batchSize: args.batchSize }),
    policy: {
      ...(args.trainingWindow === undefined ? {} : { trainingWindow: args.trainingWindow }),
      ...(args.contamination === undefined ? {} : { contamination: args.contamination }),
    },
  });
  if (!args.json) {
    const pct = (value: number) => `${(100 * value).toFixed(1)} %`;
    process.stderr.write(
      `${args.input}: ${result.n} lines, ${result.anomalies} labelled anomalous; features ${result.featureSet}, threshold ${result.thresholdRule}\n` +
        `flagged ${result.flagged} (${pct(result.flaggedRate)}): precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)}, F1 ${result.f1.toFixed(3)}, PR-AUC ${result.prAuc.toFixed(3)}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(round(result))}\n`);
  return 0;
}

function round(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toFixed(4));
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
