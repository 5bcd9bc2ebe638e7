/** `npm run experiments:batch -- [minutes_per_experiment] [cooldown_seconds] [options]`. */
import { decimalNumber, splitArgs, wholeNumber, type FlagSpec } from './cli-flags.js';
import { parseDurationSeconds } from './duration.js';
import { ExperimentUsageError } from './errors.js';
import { specDefaults } from './experiment-spec.js';
import { suiteGroups, type SuiteEntry } from './suite.js';

export interface BatchCommand {
  readonly help: boolean;
  readonly durationSeconds: number;
  readonly cooldownSeconds: number;
  readonly trials: number;
  readonly ratePerProducer: number;
  readonly batchSize: number;
  readonly batchingWindowSeconds: number;
  readonly anomalyRate: number;
  readonly warmupSeconds: number;
  readonly drainTimeoutSeconds: number;
  /** Resume this suite (skip its completed runs), or null for a new one. */
  readonly suiteId: string | null;
  /** Only these groups (all when null). */
  readonly groups: ReadonlyArray<SuiteEntry['group']> | null;
  readonly embedded: boolean;
  readonly json: boolean;
}

export const batchDefaults = Object.freeze({ minutes: 5, cooldownSeconds: 30, trials: 1 });
export const suiteIdPattern = /^[A-Za-z0-9_-]{1,40}$/;

export const batchUsage = `Usage: npm run experiments:batch -- [minutes_per_experiment] [cooldown_seconds] [options]

Runs the experiment suite (baseline, producer scaling, consumer scaling, balanced scaling, high
partition counts, stress) and prints a comparison table. Defaults: ${batchDefaults.minutes} minutes per experiment,
${batchDefaults.cooldownSeconds} s cool-down between experiments, ${batchDefaults.trials} trial.

Options:
  --trials <n>            repetitions of every experiment (the seed recommends 2-3) [1]
  --rate <r>              records/s per producer (the stress runs use 10x) [1.0]
  --suite-id <id>         resume this suite: completed runs are skipped (1-40 of letters, digits, _ -)
  --only <groups>         comma-separated groups: ${suiteGroups.join(', ')}
  --batch-size <n>        records per detector invocation, at most [100]
  --batching-window <d>   mapping batching window [0.5s]
  --anomaly-rate <r>      share of generated records that are anomalies [0.05]
  --warmup <d>            unmeasured warm-up before each measured phase [0s]
  --drain-timeout <d>     longest wait for the lag to drain after each run [60s]
  --embedded              start embedded Kafka/PostgreSQL/S3 even if others are configured
  --json                  print the results as JSON
  --help                  this text`;

const flagSpecs: FlagSpec[] = [
  ...['--trials', '--rate', '--suite-id', '--only', '--batch-size', '--batching-window', '--anomaly-rate', '--warmup', '--drain-timeout'].map((name) => ({ name, takesValue: true })),
  ...['--embedded', '--json', '--help'].map((name) => ({ name, takesValue: false })),
];

export function parseBatchArgs(argv: readonly string[]): BatchCommand {
  const { positionals, flags } = splitArgs(argv, flagSpecs);
  if (positionals.length > 2) throw new ExperimentUsageError(`expected at most [minutes_per_experiment] [cooldown_seconds], got ${positionals.length} arguments`);
  const [minutes, cooldown] = positionals as [string?, string?];
  const value = <T>(flag: string, read: (text: string) => T, fallback: T): T => (flags.has(flag) ? read(flags.get(flag)!) : fallback);
  const suiteId = flags.get('--suite-id') ?? null;
  if (suiteId !== null && !suiteIdPattern.test(suiteId)) throw new ExperimentUsageError('--suite-id must be 1-40 of letters, digits, "_" and "-"');
  return {
    help: flags.has('--help'),
    durationSeconds: minutes === undefined ? batchDefaults.minutes * 60 : parseDurationSeconds(minutes, 'minutes_per_experiment', 'm'),
    cooldownSeconds: cooldown === undefined ? batchDefaults.cooldownSeconds : parseDurationSeconds(cooldown, 'cooldown_seconds', 's'),
    trials: value('--trials', (t) => wholeNumber(t, '--trials', 1, 20), batchDefaults.trials),
    ratePerProducer: value('--rate', (t) => decimalNumber(t, '--rate', 0.001, 100_000), specDefaults.ratePerProducer),
    batchSize: value('--batch-size', (t) => wholeNumber(t, '--batch-size', 1, 10_000), specDefaults.batchSize),
    batchingWindowSeconds: value('--batching-window', (t) => parseDurationSeconds(t, '--batching-window', 's'), specDefaults.batchingWindowSeconds),
    anomalyRate: value('--anomaly-rate', (t) => decimalNumber(t, '--anomaly-rate', 0, 1), specDefaults.anomalyRate),
    warmupSeconds: value('--warmup', (t) => parseDurationSeconds(t, '--warmup', 's'), specDefaults.warmupSeconds),
    drainTimeoutSeconds: value('--drain-timeout', (t) => parseDurationSeconds(t, '--drain-timeout', 's'), specDefaults.drainTimeoutSeconds),
    suiteId,
    groups: flags.has('--only') ? parseGroups(flags.get('--only')!) : null,
    embedded: flags.has('--embedded'),
    json: flags.has('--json'),
  };
}

function parseGroups(text: string): Array<SuiteEntry['group']> {
  const names = text.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(suiteGroups as readonly string[]).includes(name)) throw new ExperimentUsageError(`--only: unknown group ${JSON.stringify(name.slice(0, 40))}; groups: ${suiteGroups.join(', ')}`);
  }
  return names as Array<SuiteEntry['group']>;
}
