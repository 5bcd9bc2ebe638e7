/** Flags of `npm run bench:db`; a bad one throws an Error naming it, with the usage. */

export interface DbBenchOptions {
  /** Measured batches per variant (after the warm-up ones). */
  readonly batches: number;
  /** Logs per batch. */
  readonly rows: number;
  /** Unmeasured batches per variant first (JIT, caches, first index pages). */
  readonly warmup: number;
  /** Share of logs that get an anomaly row, 0–0.5. */
  readonly anomalyRate: number;
}

export function dbBenchUsage(): string {
  return 'Usage: npm run bench:db -- [--batches 40] [--rows 2000] [--warmup 5] [--anomaly-rate 0.05]';
}

const LIMITS = {
  '--batches': { key: 'batches', min: 3, max: 1_000, integer: true },
  '--rows': { key: 'rows', min: 1, max: 20_000, integer: true },
  '--warmup': { key: 'warmup', min: 0, max: 100, integer: true },
  '--anomaly-rate': { key: 'anomalyRate', min: 0.001, max: 0.5, integer: false },
} as const;

export function parseDbBenchArgs(argv: readonly string[]): DbBenchOptions {
  const options = { batches: 40, rows: 2_000, warmup: 5, anomalyRate: 0.05 };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const limit = (LIMITS as Record<string, (typeof LIMITS)[keyof typeof LIMITS]>)[flag];
    if (limit === undefined) throw new Error(`unknown option ${JSON.stringify(flag.slice(0, 60))}\n${dbBenchUsage()}`);
    const text = argv[++i];
    const value = text !== undefined && /^\d{1,6}(\.\d{1,6})?$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= limit.min && value <= limit.max) || (limit.integer && !Number.isInteger(value))) {
      const kind = limit.integer ? 'an integer' : 'a number';
      throw new Error(`${flag}: ${JSON.stringify(String(text).slice(0, 60))} must be ${kind} from ${limit.min} to ${limit.max}\n${dbBenchUsage()}`);
    }
    options[limit.key] = value;
  }
  return options;
}
