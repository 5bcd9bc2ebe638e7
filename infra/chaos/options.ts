/**
 * Flags of `npm run chaos`. Every value is checked here, before anything starts; a bad one is a
 * ChaosUsageError naming the flag, what it got and what it takes.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { faultWindow, maxFaultsFor } from './schedule.js';

export interface ChaosOptions {
  /** How long the producer sends, in minutes (decimals allowed: 0.5 = 30 s). */
  readonly minutes: number;
  /** Records per second the producer offers. */
  readonly rate: number;
  /** Seeds the fault schedule and the generated records: same seed (and minutes, faults) ⇒ same run plan. */
  readonly seed: number;
  /** How many components are killed (SIGKILL) and restarted. */
  readonly faults: number;
  /** Only the JSON line on stdout; fault lines and the summary go to stderr. */
  readonly json: boolean;
  /** Keep the run's directory (data and every component's log) instead of deleting it. */
  readonly keep: boolean;
  readonly help: boolean;
}

export class ChaosUsageError extends Error {
  override readonly name = 'ChaosUsageError';
}

export const minMinutes = 0.25;
export const maxMinutes = 60;
export const maxRate = 50_000;
/** Seeds are unsigned 32-bit integers (the PRNG hashes them anyway; the range keeps them printable). */
export const maxSeed = 4_294_967_295;

export function usage(): string {
  return [
    'Usage: npm run chaos -- [--minutes 3] [--rate 5000] [--seed N] [--faults N] [--json] [--keep]',
    '',
    'Runs the pipeline (local MSK broker, functions runtime with the event-source mapping and the',
    'detector, PostgreSQL: each its own process) while killing them with SIGKILL at seeded random',
    'moments and restarting them; then checks every produced record is stored exactly once.',
    '',
    `  --minutes M   how long records are produced, ${minMinutes}..${maxMinutes} (default 3)`,
    `  --rate R      records per second offered, 1..${maxRate} (default 5000)`,
    `  --seed N      seed of the fault schedule and the records, 0..${maxSeed} (default: random, printed)`,
    '  --faults N    components killed and restarted (default: 4 per minute, at least 3)',
    '  --json        print only the JSON line on stdout (fault lines and summary on stderr)',
    '  --keep        keep the run directory (data and component logs) and print where it is',
    '  --help        this text',
    '',
    'Exit status: 0 every record stored exactly once; 1 records lost or duplicated (or the pipeline',
    'did not drain); 2 bad flags; 3 the harness failed (a component did not come back); 130 interrupted.',
  ].join('\n');
}

/** Default fault count: 4 a minute (12 in 3 minutes), at least one of each kind, at most what fits. */
export function defaultFaults(minutes: number): number {
  return Math.min(maxFaultsFor(minutes), Math.max(3, Math.round(4 * minutes)));
}

/**
 * Parses and validates `argv` (without node and the script). `randomSeed` picks the seed when
 * none is given (injectable for tests).
 */
export function parseChaosArgs(argv: readonly string[], randomSeed: () => number = () => randomInt(0, maxSeed)): ChaosOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        minutes: { type: 'string' },
        rate: { type: 'string' },
        seed: { type: 'string' },
        faults: { type: 'string' },
        json: { type: 'boolean' },
        keep: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new ChaosUsageError(`${describeParseError(error)}\n\n${usage()}`);
  }
  const help = values.help === true;
  const minutes = values.minutes === undefined ? 3 : decimal('--minutes', values.minutes as string, minMinutes, maxMinutes);
  const rate = values.rate === undefined ? 5_000 : integer('--rate', values.rate as string, 1, maxRate);
  const seed = values.seed === undefined ? randomSeed() : integer('--seed', values.seed as string, 0, maxSeed);
  const most = maxFaultsFor(minutes);
  let faults = defaultFaults(minutes);
  if (values.faults !== undefined) {
    faults = integer('--faults', values.faults as string, 0, Number.MAX_SAFE_INTEGER);
    if (faults > most) {
      const window = faultWindow(minutes * 60_000);
      throw new ChaosUsageError(
        `--faults: ${faults} do not fit in --minutes ${minutes}: at most ${most} (faults fall between ${(window.fromMs / 1000).toFixed(1)} s and ` +
          `${(window.toMs / 1000).toFixed(1)} s, at least 3 s apart); give fewer faults or more minutes`,
      );
    }
  }
  return { minutes, rate, seed, faults, json: values.json === true, keep: values.keep === true, help };
}

function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = String(message ?? error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']*)'/.exec(text)?.[1] ?? text;
    return `unknown option ${JSON.stringify(flag.slice(0, 60))} (see --help)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[a-z]+/.exec(text)?.[0];
    if (flag === undefined) return text;
    if (/does not take an argument/.test(text)) return `${flag} takes no value`;
    return /ambiguous/.test(text) ? `${flag} needs a value (one that starts with "-" goes as ${flag}=VALUE)` : `${flag} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const word = /'([^']*)'/.exec(text)?.[1] ?? text;
    return `unexpected argument ${JSON.stringify(word.slice(0, 60))}: every value follows its flag, e.g. --rate 5000`;
  }
  return text;
}

function integer(flag: string, raw: string, min: number, max: number): number {
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ChaosUsageError(`${flag}: ${JSON.stringify(raw.slice(0, 60))} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function decimal(flag: string, raw: string, min: number, max: number): number {
  const value = /^\d{1,4}(\.\d{1,4})?$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ChaosUsageError(`${flag}: ${JSON.stringify(raw.slice(0, 60))} must be a number from ${min} to ${max} (e.g. 0.5 or 3)`);
  }
  return value;
}
