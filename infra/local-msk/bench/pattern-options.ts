/** Options of `npm run bench:kafka -- --pattern pipeline …` (see pipeline-pattern.ts). */
export interface PatternOptions {
  rounds: number;
  /** Records per second offered to the `logs`-like topic. */
  rate: number;
  /** Measured seconds per round (after the warm-up). */
  seconds: number;
  warmupSeconds: number;
  partitions: number;
  /** A consumer commits after a batch once this long has passed since its last commit (ms; 0 = after every batch). */
  commitIntervalMs: number;
  /** One-record produces per second to the metrics topic. */
  metricsPerSecond: number;
  /** Directory for the broker's `node --cpu-prof` profiles, or null. */
  cpuProfDir: string | null;
  inMemory: boolean;
}

export const patternUsage =
  'Usage: npm run bench:kafka -- --pattern pipeline [--rate 20000] [--seconds 10] [--warmup-seconds 2] [--partitions 5] [--rounds 3] [--commit-interval-ms 250] [--metrics-per-second 4] [--cpu-prof-dir DIR] [--in-memory]';

const integerFlags: Record<string, { key: keyof PatternOptions; min: number; max: number }> = {
  '--rounds': { key: 'rounds', min: 1, max: 100 },
  '--rate': { key: 'rate', min: 1, max: 1_000_000 },
  '--seconds': { key: 'seconds', min: 1, max: 3600 },
  '--warmup-seconds': { key: 'warmupSeconds', min: 0, max: 600 },
  '--partitions': { key: 'partitions', min: 1, max: 64 },
  '--commit-interval-ms': { key: 'commitIntervalMs', min: 0, max: 600_000 },
  '--metrics-per-second': { key: 'metricsPerSecond', min: 0, max: 1000 },
};

/** Parses the pattern benchmark's flags; throws an Error naming the flag on anything else. */
export function parsePatternOptions(argv: readonly string[]): PatternOptions {
  const options: PatternOptions = { rounds: 3, rate: 20_000, seconds: 10, warmupSeconds: 2, partitions: 5, commitIntervalMs: 250, metricsPerSecond: 4, cpuProfDir: null, inMemory: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const raw = argv[i + 1];
    if (flag === '--pattern') {
      if (raw !== 'pipeline') throw new Error(`bad option --pattern ${raw ?? ''}: the only pattern is "pipeline"\n${patternUsage}`);
      i++;
    } else if (flag === '--in-memory') {
      options.inMemory = true;
    } else if (flag === '--cpu-prof-dir') {
      if (raw === undefined || raw === '' || raw.startsWith('--')) throw new Error(`bad option --cpu-prof-dir: expected a directory\n${patternUsage}`);
      options.cpuProfDir = raw;
      i++;
    } else {
      const spec = integerFlags[flag];
      if (!spec) throw new Error(`unknown option ${flag}\n${patternUsage}`);
      const value = raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(value >= spec.min && value <= spec.max)) throw new Error(`bad option ${flag} ${raw ?? ''}: expected an integer from ${spec.min} to ${spec.max}\n${patternUsage}`);
      (options[spec.key] as number) = value;
      i++;
    }
  }
  return options;
}
