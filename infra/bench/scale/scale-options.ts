/**
 * Flags of `npm run bench:scale`. Every value is checked before anything starts; a bad one is a
 * ScaleUsageError naming the flag, what it got and what it takes (the CLI exits 2).
 */
import { parseArgs } from 'node:util';

export interface ScaleOptions {
  /** Logs in the last day's fill when the last checkpoint is measured. */
  readonly rows: number;
  /** Row counts at which the reads are measured, ascending; the last is `rows`. */
  readonly checkpoints: readonly number[];
  /** Logs per detector batch (storeDetectorBatch) measured at each checkpoint. */
  readonly batchRows: number;
  /** Measured repetitions of each read and of the batch (medians are reported), after one unmeasured. */
  readonly repeat: number;
  /** Logs of the extra, older day that the cleanup deletes at the last checkpoint. */
  readonly cleanupRows: number;
  /** Only the JSON lines (stdout) and progress (stderr): no table. */
  readonly json: boolean;
  readonly help: boolean;
}

export class ScaleUsageError extends Error {
  override readonly name = 'ScaleUsageError';
}

export const minRows = 1_000;
/** 200 M rows need about 120 GB on disk and hours to fill on this 2-core machine: more is absurd here. */
export const maxRows = 200_000_000;
export const maxCheckpoints = 10;
export const maxBatchRows = 20_000;
export const maxRepeat = 50;
const DEFAULT_ROWS = 50_000_000;
const DEFAULT_CHECKPOINTS = [1_000_000, 10_000_000, 50_000_000];

export function scaleUsage(): string {
  return [
    'Usage: npm run bench:scale -- [--rows 50000000] [--checkpoints 1000000,10000000,50000000] [--batch-rows 2000]',
    '                              [--repeat 5] [--cleanup-rows N] [--json]',
    '',
    'Starts a throw-away PostgreSQL (under TMPDIR; removed at the end), migrates it and fills it with',
    'realistic logs (the producer generator\'s services, levels, hosts and messages; about 5 % with an',
    'anomaly; a dead letter per 20,000 logs) spread over the 23 hours before the run, checkpoint by',
    'checkpoint, bringing the rollups up to date after each fill step. At each checkpoint it times, as',
    'medians of --repeat runs: the dashboard\'s real-time snapshot with a 60- and a 1440-minute window',
    '(and the rows in each), the status line\'s query, and storeDetectorBatch of a fresh batch (wall time',
    'and PostgreSQL backend CPU). At the last one it fills an older day of --cleanup-rows logs and times',
    'db:cleanup\'s deletes of it (logs older than 24 h), then checks the rollups against count(*).',
    '',
    `  --rows N           logs filled in all, ${minRows}..${maxRows} (default ${DEFAULT_ROWS})`,
    `  --checkpoints A,B  row counts to measure at, ascending, each <= --rows, at most ${maxCheckpoints}`,
    '                     (default: those of 1000000,10000000,50000000 below --rows, then --rows)',
    `  --batch-rows N     logs per measured detector batch, 1..${maxBatchRows} (default 2000)`,
    `  --repeat N         measured repetitions per figure, 1..${maxRepeat} (default 5)`,
    '  --cleanup-rows N   logs of the older day the cleanup deletes, 1..--rows (default: a tenth of --rows)',
    '  --json             no table on stderr (the JSON lines on stdout are always printed)',
    '  --help             this text',
    '',
    'Prints one JSON line per checkpoint and a summary line. Needs about 0.6 KB of disk per row under',
    'TMPDIR (30 GB for 50 M rows); it refuses to start without that. Exit status: 0 done; 1 the run failed',
    'or the rollups did not equal the raw counts; 2 bad flags or too little disk; 130 interrupted.',
  ].join('\n');
}

export function parseScaleArgs(argv: readonly string[]): ScaleOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        rows: { type: 'string' },
        checkpoints: { type: 'string' },
        'batch-rows': { type: 'string' },
        repeat: { type: 'string' },
        'cleanup-rows': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ScaleUsageError(`${describeParseError(error)}\n\n${scaleUsage()}`);
  }
  const rows = values.rows === undefined ? DEFAULT_ROWS : integer('--rows', values.rows as string, minRows, maxRows);
  const checkpoints = values.checkpoints === undefined ? defaultCheckpoints(rows) : checkpointList(values.checkpoints as string, rows);
  const batchRows = values['batch-rows'] === undefined ? 2_000 : integer('--batch-rows', values['batch-rows'] as string, 1, maxBatchRows);
  const repeat = values.repeat === undefined ? 5 : integer('--repeat', values.repeat as string, 1, maxRepeat);
  const cleanupRows = values['cleanup-rows'] === undefined ? Math.max(1, Math.round(rows / 10)) : integer('--cleanup-rows', values['cleanup-rows'] as string, 1, rows);
  return { rows, checkpoints, batchRows, repeat, cleanupRows, json: values.json === true, help: values.help === true };
}

/** Disk per log row with its indexes, anomalies and rollups (measured: about 0.66 KB), rounded up. */
const BYTES_PER_ROW = 750;
/** WAL beyond the data: up to the server's max_wal_size (4 GB), and a margin. */
const WAL_BYTES = 5 * 1024 ** 3;

/** Bytes the run needs under TMPDIR: its rows (both days) and the WAL they write, up to the WAL's limit. */
export function diskBytesNeeded(options: Pick<ScaleOptions, 'rows' | 'cleanupRows'>): number {
  const data = (options.rows + options.cleanupRows) * BYTES_PER_ROW;
  return data + Math.min(data, WAL_BYTES);
}

function defaultCheckpoints(rows: number): number[] {
  return [...DEFAULT_CHECKPOINTS.filter((n) => n < rows), rows];
}

function checkpointList(raw: string, rows: number): number[] {
  const parts = raw.split(',').map((part) => part.trim());
  const fail = (why: string): never => {
    throw new ScaleUsageError(`--checkpoints: ${JSON.stringify(raw.slice(0, 80))} ${why}`);
  };
  if (parts.length > maxCheckpoints) fail(`has ${parts.length} entries: at most ${maxCheckpoints}`);
  const list = parts.map((part) => (/^\d{1,9}$/.test(part) ? Number(part) : Number.NaN));
  if (!list.every((n) => n >= 1)) fail('must be a comma-separated list of whole row counts, e.g. 1000000,10000000');
  for (let i = 1; i < list.length; i++) if (list[i]! <= list[i - 1]!) fail('must be strictly ascending');
  if (list[list.length - 1]! > rows) fail(`goes past --rows ${rows}`);
  if (list[list.length - 1]! < rows) list.push(rows);
  return list;
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = /^\d{1,12}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ScaleUsageError(`${flag}: ${JSON.stringify(raw.slice(0, 60))} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = String(message ?? error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']*)'/.exec(text)?.[1] ?? text;
    return `unknown option ${JSON.stringify(flag.slice(0, 60))} (see --help)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[a-z-]+/.exec(text)?.[0];
    if (flag === undefined) return text;
    if (/does not take an argument/.test(text)) return `${flag} takes no value`;
    return /ambiguous/.test(text) ? `${flag} needs a value (one that starts with "-" goes as ${flag}=VALUE)` : `${flag} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const word = /'([^']*)'/.exec(text)?.[1] ?? text;
    return `unexpected argument ${JSON.stringify(word.slice(0, 60))}: every value follows its flag, e.g. --rows 10000000`;
  }
  return text;
}
