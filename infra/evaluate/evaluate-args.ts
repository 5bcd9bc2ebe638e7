import { parseArgs } from 'node:util';
import { ConfigError } from '../../functions/shared/errors.js';
import { FEATURE_SET_NAMES, type FeatureSetName } from '../../functions/shared/features/index.js';
import { LOG_FORMATS, type GenericFormatOptions, type LogFormat } from '../../functions/shared/log-formats/index.js';
import { THRESHOLD_RULES, type ThresholdRule } from '../../functions/shared/model/threshold-rule.js';

export const EVALUATE_USAGE = `usage: npm run evaluate -- --input <log file> --labels <labels file> [options]

  --format synthetic|bgl|generic   line format (default synthetic: one JSON log record per line)
  --features seed|full             feature set (default full)
  --threshold-rule anchor|gap|contamination   label-free threshold rule (default anchor; the seed set has no anchors and uses gap)
  --contamination <0..0.5]         for --threshold-rule contamination (default 0.1)
  --training-window <n>            records per training (default 1000, at most the file's lines)
  --batch-size <n>                 records per detector invocation (default 100)
  --timestamp-pattern, --level-pattern, --source-pattern <regex>   generic format patterns
  --json                           print only the closing JSON line

Labels: one line per log line, 1 (anomalous) / 0 (normal), or an anomaly kind / none.
Prints one JSON line: {n, anomalies, flagged, precision, recall, f1, prAuc, flaggedRate, recallByKind?, ...}.`;

export interface EvaluateArgs {
  readonly help: boolean;
  readonly input: string;
  readonly labels: string;
  readonly format: LogFormat;
  readonly features: FeatureSetName;
  readonly thresholdRule: ThresholdRule;
  readonly contamination?: number;
  readonly trainingWindow?: number;
  readonly batchSize?: number;
  readonly generic: GenericFormatOptions;
  readonly json: boolean;
}

/** Parses the command line; ConfigError names the bad flag. */
export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        input: { type: 'string' },
        labels: { type: 'string' },
        format: { type: 'string' },
        features: { type: 'string' },
        'threshold-rule': { type: 'string' },
        contamination: { type: 'string' },
        'training-window': { type: 'string' },
        'batch-size': { type: 'string' },
        'timestamp-pattern': { type: 'string' },
        'level-pattern': { type: 'string' },
        'source-pattern': { type: 'string' },
        json: { type: 'boolean' },
      },
    }).values;
  } catch (cause) {
    throw new ConfigError(`${(cause as Error).message}\n${EVALUATE_USAGE}`, { cause });
  }
  const help = values.help === true;
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const input = text('input');
  const labels = text('labels');
  if (!help && (input === undefined || labels === undefined)) throw new ConfigError(`--input and --labels are required\n${EVALUATE_USAGE}`);
  const generic: GenericFormatOptions = {
    ...(text('timestamp-pattern') === undefined ? {} : { timestampPattern: text('timestamp-pattern') }),
    ...(text('level-pattern') === undefined ? {} : { levelPattern: text('level-pattern') }),
    ...(text('source-pattern') === undefined ? {} : { sourcePattern: text('source-pattern') }),
  };
  const contamination = optionalNumber(text('contamination'), '--contamination', 0, 0.5, false);
  const trainingWindow = optionalNumber(text('training-window'), '--training-window', 2, 1_000_000, true);
  const batchSize = optionalNumber(text('batch-size'), '--batch-size', 1, 10_000, true);
  return {
    help,
    input: input ?? '',
    labels: labels ?? '',
    format: oneOf(text('format') ?? 'synthetic', LOG_FORMATS, '--format'),
    features: oneOf(text('features') ?? 'full', FEATURE_SET_NAMES, '--features'),
    thresholdRule: oneOf(text('threshold-rule') ?? 'anchor', THRESHOLD_RULES, '--threshold-rule'),
    generic,
    json: values.json === true,
    ...(contamination === undefined ? {} : { contamination }),
    ...(trainingWindow === undefined ? {} : { trainingWindow }),
    ...(batchSize === undefined ? {} : { batchSize }),
  };
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(`${flag} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`);
  return value as T;
}

function optionalNumber(text: string | undefined, flag: string, min: number, max: number, integer: boolean): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const ok = text.trim() !== '' && Number.isFinite(value) && (integer ? Number.isInteger(value) && value >= min : value > min) && value <= max;
  if (!ok) throw new ConfigError(`${flag} must be ${integer ? 'a whole number' : 'a number'} ${integer ? `from ${min}` : `above ${min}`} to ${max}, got ${JSON.stringify(text.slice(0, 40))}`);
  return value;
}
