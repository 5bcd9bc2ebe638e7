/**
 * `npm run experiment -- <name> <producers> <consumers> <partitions> [duration_minutes] [log_rate] [options]`:
 * the seed's run_experiment.sh arguments (same meaning and defaults) plus named flags.
 */
import { decimalNumber, splitArgs, wholeNumber, type FlagSpec } from './cli-flags.js';
import { parseDurationSeconds } from './duration.js';
import { ExperimentRefusedError, ExperimentUsageError } from './errors.js';
import { namePattern, refusals, specDefaults, type ExperimentSpec } from './experiment-spec.js';

export interface ExperimentCommand {
  readonly help: boolean;
  readonly spec: ExperimentSpec | null;
  /** Print one JSON object (the summary) on stdout instead of the table. */
  readonly json: boolean;
  /** Start embedded services even when others are configured. */
  readonly embedded: boolean;
}

export const experimentUsage = `Usage: npm run experiment -- <name> <producers> <consumers> <partitions> [duration_minutes] [log_rate] [options]

Runs the pipeline once with these concurrency settings and records the results in PostgreSQL.
  name              label for the run (1-40 of letters, digits, . _ -)
  producers         concurrent producer invocations
  consumers         pollers of the detector's event-source mapping = most concurrent detector
                    invocations; more than partitions is allowed, the extra pollers stay idle
  partitions        partitions of the experiment's own topic (logs.exp.<id>)
  duration_minutes  measured time, default 10 (or --duration 30s|10m|1.5h)
  log_rate          records/s per producer, default 1.0 (or --rate)

Options:
  --duration <d>          measured time: 30s, 10m, 1.5h, or minutes as a number
  --rate <r>              records/s per producer
  --batch-size <n>        records per detector invocation, at most (1-10000) [100]
  --batching-window <d>   mapping batching window: 0.5, 500ms, 2s (0-300 s) [0.5s]
  --anomaly-rate <r>      share of generated records that are anomalies (0-1) [0.05]
  --warmup <d>            run this long first and leave it out of every figure [0s]
  --drain-timeout <d>     longest wait for the lag to reach 0 after the producers stop [60s]
  --seed <n>              seed of the generated streams [42]
  --embedded              start embedded Kafka/PostgreSQL/S3 even if others are configured
  --json                  print the summary as one JSON object
  --help                  this text

Services: KAFKA_BOOTSTRAP_SERVERS or MSK_CLUSTER_ARN, DATABASE_URL, AWS_ENDPOINT_URL_S3 and
MODEL_BUCKET from the environment, else from .env (written by npm start) when those answer,
else embedded ones started for the run (data in .data/experiments). See docs/experiments.md.`;

const flagSpecs: FlagSpec[] = [
  ...['--duration', '--rate', '--batch-size', '--batching-window', '--anomaly-rate', '--warmup', '--drain-timeout', '--seed'].map((name) => ({ name, takesValue: true })),
  ...['--embedded', '--json', '--help'].map((name) => ({ name, takesValue: false })),
];

/** Parses the command line; ExperimentUsageError for malformed input, ExperimentRefusedError for a spec that cannot work. */
export function parseExperimentArgs(argv: readonly string[]): ExperimentCommand {
  const { positionals, flags } = splitArgs(argv, flagSpecs);
  const json = flags.has('--json');
  const embedded = flags.has('--embedded');
  if (flags.has('--help')) return { help: true, spec: null, json, embedded };
  if (positionals.length < 4) {
    throw new ExperimentUsageError(`expected <name> <producers> <consumers> <partitions>, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`);
  }
  if (positionals.length > 6) throw new ExperimentUsageError(`too many arguments: ${positionals.length} (at most 6 before the options)`);
  const [name, producers, consumers, partitions, minutes, rate] = positionals as [string, string, string, string, string?, string?];
  if (!namePattern.test(name)) throw new ExperimentUsageError(`name ${JSON.stringify(name.slice(0, 60))} must be 1-40 of letters, digits, ".", "_" and "-"`);
  if (minutes !== undefined && flags.has('--duration')) throw new ExperimentUsageError('give the duration once: as duration_minutes or as --duration');
  if (rate !== undefined && flags.has('--rate')) throw new ExperimentUsageError('give the log rate once: as log_rate or as --rate');

  const durationText = flags.get('--duration') ?? minutes;
  const rateText = flags.get('--rate') ?? rate;
  const optional = <T>(flag: string, read: (text: string) => T, fallback: T): T => {
    const text = flags.get(flag);
    return text === undefined ? fallback : read(text);
  };
  const spec: ExperimentSpec = {
    name,
    producers: wholeNumber(producers, 'producers', 0, 1_000_000),
    consumers: wholeNumber(consumers, 'consumers', 0, 1_000_000),
    partitions: wholeNumber(partitions, 'partitions', 0, 1_000_000),
    durationSeconds: durationText === undefined ? specDefaults.durationSeconds : parseDurationSeconds(durationText, 'duration', 'm'),
    ratePerProducer: rateText === undefined ? specDefaults.ratePerProducer : decimalNumber(rateText, 'log rate', 0, 1_000_000),
    batchSize: optional('--batch-size', (t) => wholeNumber(t, '--batch-size', 0, 1_000_000), specDefaults.batchSize),
    batchingWindowSeconds: optional('--batching-window', (t) => parseDurationSeconds(t, '--batching-window', 's'), specDefaults.batchingWindowSeconds),
    anomalyRate: optional('--anomaly-rate', (t) => decimalNumber(t, '--anomaly-rate', 0, 1), specDefaults.anomalyRate),
    warmupSeconds: optional('--warmup', (t) => parseDurationSeconds(t, '--warmup', 's'), specDefaults.warmupSeconds),
    drainTimeoutSeconds: optional('--drain-timeout', (t) => parseDurationSeconds(t, '--drain-timeout', 's'), specDefaults.drainTimeoutSeconds),
    seed: optional('--seed', (t) => wholeNumber(t, '--seed', 0, 4_294_967_295), specDefaults.seed),
  };
  const problems = refusals(spec);
  if (problems.length > 0) throw new ExperimentRefusedError(problems);
  return { help: false, spec, json, embedded };
}
