import { parseArgs } from 'node:util';
import { ConfigError } from '../../functions/shared/errors.js';
import { FEATURE_SET_NAMES, type FeatureSetName } from '../../functions/shared/features/index.js';
import { LOG_FORMATS, type GenericFormatOptions, type LogFormat } from '../../functions/shared/log-formats/index.js';
import { THRESHOLD_RULES, type ThresholdRule } from '../../functions/shared/model/threshold-rule.js';
import { MAX_EXPLAIN } from './explain.js';
import { MAX_TRAINING_RECORDS } from './run-evaluation.js';

/** Lines `--explain` lists when given no number. */
export const DEFAULT_EXPLAIN = 10;

export const EVALUATE_USAGE = `usage: npm run evaluate -- --input <log file> --labels <labels file> [--input … --labels …] [options]

  --input <file> --labels <file>   a log and its labels; repeat both to evaluate several, paired in order
  --format synthetic|bgl|generic   line format (default synthetic: one JSON log record per line)
  --train-lines <n>                train the first model on lines 1..n (2 ≤ n < lines), score and report lines n+1.. only
  --train <file>                   train the first model on every record of <file>, score and report all of each input
  --train-format synthetic|bgl|generic   format of --train (default: --format)
  --features seed|full             feature set (default full)
  --threshold-rule anchor|gap|contamination   label-free threshold rule (default anchor; the seed set has no anchors and uses gap)
  --contamination <0..0.5]         for --threshold-rule contamination (default 0.1)
  --training-window <n>            records per training (default 1000, at most the file's lines; set by --train/--train-lines)
  --first-training-window <n>      in-sample: records the first (provisional) model waits for (default 200, as the detector)
  --batch-size <n>                 records per detector invocation (default 100)
  --explain [k]                    after the metrics, the k (default ${DEFAULT_EXPLAIN}, at most ${MAX_EXPLAIN}) highest-scoring flagged lines and why;
                                   also --explain=k or --explain-top <k>
  --timestamp-pattern, --level-pattern, --source-pattern <regex>   generic format patterns
  --json                           print only the JSON lines on stdout
  -h, --help                       this text

Without --train-lines or --train, the replay runs as the detector does: a provisional first model
after the first first-training-window lines, refined as lines arrive; the lines stored before it are
scored by it too (in-sample). Labels: one line per log line, 1 (anomalous) / 0 (normal), or an
anomaly kind / none. Prints one JSON line per input: {input, mode, trainedOn, scoredFrom, n, anomalies,
flagged, precision, recall, f1, prAuc, flaggedRate, recallByKind?, ..., explain?}.`;

/** One labelled log to evaluate. */
export interface DataSetPaths {
  readonly input: string;
  readonly labels: string;
}

export interface EvaluateArgs {
  readonly help: boolean;
  /** The --input/--labels pairs, in order (at least one unless help). */
  readonly dataSets: readonly DataSetPaths[];
  readonly format: LogFormat;
  readonly features: FeatureSetName;
  readonly thresholdRule: ThresholdRule;
  readonly contamination?: number;
  readonly trainingWindow?: number;
  readonly firstTrainingWindow?: number;
  readonly batchSize?: number;
  /** Train on each input's first n lines, score the rest. */
  readonly trainLines?: number;
  /** Train on this file's records, score every input whole. */
  readonly train?: string;
  /** Format of `train` (default: format). */
  readonly trainFormat: LogFormat;
  /** How many flagged lines to explain; undefined = no --explain. */
  readonly explainTop?: number;
  readonly generic: GenericFormatOptions;
  readonly json: boolean;
}

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  input: { type: 'string', multiple: true },
  labels: { type: 'string', multiple: true },
  format: { type: 'string' },
  features: { type: 'string' },
  'threshold-rule': { type: 'string' },
  contamination: { type: 'string' },
  'training-window': { type: 'string' },
  'first-training-window': { type: 'string' },
  'batch-size': { type: 'string' },
  'train-lines': { type: 'string' },
  train: { type: 'string', multiple: true },
  'train-format': { type: 'string' },
  explain: { type: 'boolean' },
  'explain-top': { type: 'string' },
  'timestamp-pattern': { type: 'string' },
  'level-pattern': { type: 'string' },
  'source-pattern': { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** Parses the command line; ConfigError names the bad flag. */
export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({ args: normalizeArgv(argv), strict: true, allowPositionals: false, options: OPTIONS }).values;
  } catch (cause) {
    throw new ConfigError(`${(cause as Error).message}\n${EVALUATE_USAGE}`, { cause });
  }
  const help = values.help === true;
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const list = (name: string): string[] => (Array.isArray(values[name]) ? (values[name] as string[]) : []);
  const inputs = list('input');
  const labels = list('labels');
  if (!help && (inputs.length === 0 || labels.length === 0)) throw new ConfigError(`--input and --labels are required\n${EVALUATE_USAGE}`);
  if (inputs.length !== labels.length) {
    throw new ConfigError(`--input and --labels come in pairs: got ${inputs.length} --input and ${labels.length} --labels (the n-th --labels belongs to the n-th --input)`);
  }
  const generic: GenericFormatOptions = {
    ...(text('timestamp-pattern') === undefined ? {} : { timestampPattern: text('timestamp-pattern') }),
    ...(text('level-pattern') === undefined ? {} : { levelPattern: text('level-pattern') }),
    ...(text('source-pattern') === undefined ? {} : { sourcePattern: text('source-pattern') }),
  };
  const contamination = optionalNumber(text('contamination'), '--contamination', 0, 0.5, false);
  const trainingWindow = optionalNumber(text('training-window'), '--training-window', 2, MAX_TRAINING_RECORDS, true);
  const firstTrainingWindow = optionalNumber(text('first-training-window'), '--first-training-window', 2, MAX_TRAINING_RECORDS, true);
  const batchSize = optionalNumber(text('batch-size'), '--batch-size', 1, 10_000, true);
  const trainLines = optionalNumber(text('train-lines'), '--train-lines', 2, MAX_TRAINING_RECORDS, true);
  const trains = list('train');
  if (trains.length > 1) throw new ConfigError('--train may be given once (it trains the model for every --input)');
  const train = trains[0];
  if (train !== undefined && train.length === 0) throw new ConfigError('--train needs a file path');
  if (train !== undefined && trainLines !== undefined) throw new ConfigError('--train and --train-lines cannot be combined: train on a file or on the first lines of each input');
  if (trainingWindow !== undefined && (train !== undefined || trainLines !== undefined)) {
    throw new ConfigError(`--training-window cannot be combined with ${train !== undefined ? '--train' : '--train-lines'}: the training part sets the training window`);
  }
  if (firstTrainingWindow !== undefined && (train !== undefined || trainLines !== undefined)) {
    throw new ConfigError(`--first-training-window cannot be combined with ${train !== undefined ? '--train' : '--train-lines'}: the training part is the first model's`);
  }
  if (text('train-format') !== undefined && train === undefined) throw new ConfigError('--train-format needs --train');
  const explainTop = values.explain === true || text('explain-top') !== undefined ? (optionalNumber(text('explain-top'), '--explain/--explain-top', 1, MAX_EXPLAIN, true) ?? DEFAULT_EXPLAIN) : undefined;
  const format = oneOf(text('format') ?? 'synthetic', LOG_FORMATS, '--format');
  return {
    help,
    dataSets: inputs.map((input, i) => ({ input, labels: labels[i] as string })),
    format,
    features: oneOf(text('features') ?? 'full', FEATURE_SET_NAMES, '--features'),
    thresholdRule: oneOf(text('threshold-rule') ?? 'anchor', THRESHOLD_RULES, '--threshold-rule'),
    trainFormat: oneOf(text('train-format') ?? format, LOG_FORMATS, '--train-format'),
    generic,
    json: values.json === true,
    ...(contamination === undefined ? {} : { contamination }),
    ...(trainingWindow === undefined ? {} : { trainingWindow }),
    ...(firstTrainingWindow === undefined ? {} : { firstTrainingWindow }),
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(trainLines === undefined ? {} : { trainLines }),
    ...(train === undefined ? {} : { train }),
    ...(explainTop === undefined ? {} : { explainTop }),
  };
}

/**
 * parseArgs has no optional values, so `--explain k` and `--explain=k` become `--explain
 * --explain-top k`. After `--explain`, the next argument is its count unless it is an option
 * (`--…`, or a letter flag like `-h`); values of other options are skipped, and kept as they are
 * except that a negative number is attached (`--train-lines=-3`, which parseArgs accepts).
 */
function normalizeArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('--explain=')) {
      out.push('--explain', `--explain-top=${arg.slice('--explain='.length)}`);
    } else if (arg === '--explain') {
      const next = argv[i + 1];
      out.push(arg);
      if (next !== undefined && !next.startsWith('--') && !/^-[a-zA-Z]/.test(next)) {
        out.push(`--explain-top=${next}`);
        i++;
      }
    } else if (takesValue(arg) && i + 1 < argv.length) {
      // A negative number is a value, not an option: `--train-lines -3` is then refused by its range check.
      const value = argv[++i] as string;
      out.push(...(/^-\d/.test(value) ? [`${arg}=${value}`] : [arg, value]));
    } else {
      out.push(arg);
    }
  }
  return out;
}

function takesValue(arg: string): boolean {
  const name = arg.slice(2);
  return arg.startsWith('--') && Object.hasOwn(OPTIONS, name) && OPTIONS[name as keyof typeof OPTIONS].type === 'string';
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
