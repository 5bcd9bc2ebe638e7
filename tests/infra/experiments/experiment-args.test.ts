import { describe, expect, it } from 'vitest';
import { parseBatchArgs } from '../../../infra/experiments/batch-args.js';
import { parseDurationSeconds } from '../../../infra/experiments/duration.js';
import { ExperimentRefusedError, ExperimentUsageError } from '../../../infra/experiments/errors.js';
import { experimentUsage, parseExperimentArgs } from '../../../infra/experiments/experiment-args.js';
import { idlePollers } from '../../../infra/experiments/experiment-spec.js';
import { parseReportArgs } from '../../../infra/experiments/report/report-args.js';
import { planSuite } from '../../../infra/experiments/run-suite.js';

describe('npm run experiment arguments', () => {
  it("takes the seed's positional arguments with its defaults (10 minutes, 1.0 record/s)", () => {
    // Act
    const { spec } = parseExperimentArgs(['baseline', '1', '1', '3']);

    // Assess
    expect(spec).toMatchObject({ name: 'baseline', producers: 1, consumers: 1, partitions: 3, durationSeconds: 600, ratePerProducer: 1, batchSize: 100, batchingWindowSeconds: 0.5, anomalyRate: 0.05, warmupSeconds: 0 });
  });

  it('reads duration_minutes and log_rate positionally, and the named flags', () => {
    // Act
    const positional = parseExperimentArgs(['baseline', '1', '1', '3', '1', '5']).spec;
    const named = parseExperimentArgs(['p4', '4', '2', '6', '--duration', '30s', '--rate=2.5', '--batch-size', '50', '--batching-window', '250ms', '--anomaly-rate', '0.1', '--warmup', '10s', '--json']);

    // Assess
    expect(positional).toMatchObject({ durationSeconds: 60, ratePerProducer: 5 });
    expect(named.spec).toMatchObject({ durationSeconds: 30, ratePerProducer: 2.5, batchSize: 50, batchingWindowSeconds: 0.25, anomalyRate: 0.1, warmupSeconds: 10 });
    expect(named.json).toBe(true);
  });

  it('accepts more consumers than partitions and counts the idle pollers', () => {
    // Act
    const { spec } = parseExperimentArgs(['idle', '1', '6', '4']);

    // Assess
    expect(idlePollers(spec!)).toBe(2);
  });

  it.each([
    [[], /expected <name> <producers> <consumers> <partitions>, got 0 arguments/],
    [['a', '1', '1'], /got 3 arguments/],
    [['a', '1', '1', '3', '1', '1', 'extra'], /too many arguments/],
    [['a', 'two', '1', '3'], /producers must be a whole number/],
    [['a', '1', '1', '3', '--duration'], /--duration needs a value/],
    [['a', '1', '1', '3', '--duration', 'soon'], /is not a duration/],
    [['a', '1', '1', '3', '2', '--duration', '5m'], /give the duration once/],
    [['a', '1', '1', '3', '--frobnicate'], /unknown option "--frobnicate"/],
    [['a', '1', '1', '3', '--json=yes'], /--json takes no value/],
    [['a', '1', '1', '3', '--rate', '1', '--rate', '2'], /--rate is given twice/],
    [['<script>', '1', '1', '3'], /name "<script>" must be 1-40 of letters/],
    [['a', '1', '1', '3', 'x'.repeat(2000)], /over 1000 characters/],
    [['a\u0007b', '1', '1', '3'], /control characters/],
  ])('refuses malformed arguments %j with a usage error', (argv, message) => {
    // Act + Assess
    expect(() => parseExperimentArgs(argv as string[])).toThrow(ExperimentUsageError);
    expect(() => parseExperimentArgs(argv as string[])).toThrow(message);
  });

  it('refuses configurations that cannot work, naming every problem', () => {
    // Act
    const attempt = () => parseExperimentArgs(['none', '0', '0', '0', '--batch-size', '20000', '--batching-window', '400s']);

    // Assess
    expect(attempt).toThrow(ExperimentRefusedError);
    expect(attempt).toThrow(/producers must be .*consumers must be .*nothing is consumed.*partitions must be .*batch size must be .*batching window must be/);
  });

  it('refuses a run that would produce no record', () => {
    // Act + Assess
    expect(() => parseExperimentArgs(['tiny', '1', '1', '1', '--duration', '1s', '--rate', '0.5'])).toThrow(/under one record/);
  });

  it('has usage text naming every argument and option', () => {
    // Assess
    for (const word of ['<producers>', '<consumers>', '<partitions>', 'duration_minutes', 'log_rate', '--batch-size', '--batching-window', '--anomaly-rate', '--warmup', '--duration', '--json', 'idle']) {
      expect(experimentUsage).toContain(word);
    }
  });

  it('reads durations with units and bare numbers in the given unit', () => {
    // Assess
    expect(parseDurationSeconds('1.5', 'd', 'm')).toBe(90);
    expect(parseDurationSeconds('2', 'd', 's')).toBe(2);
    expect(parseDurationSeconds('500ms', 'd', 's')).toBe(0.5);
    expect(parseDurationSeconds('1h', 'd', 's')).toBe(3600);
    expect(() => parseDurationSeconds('-1s', 'd', 's')).toThrow(/not a duration/);
  });
});

describe('npm run experiments:batch arguments', () => {
  it('takes minutes per experiment and cool-down seconds, trials and a suite id', () => {
    // Act
    const command = parseBatchArgs(['1', '10', '--trials', '3', '--suite-id', 'nightly_1', '--only', 'baseline,stress']);

    // Assess
    expect(command).toMatchObject({ durationSeconds: 60, cooldownSeconds: 10, trials: 3, suiteId: 'nightly_1', groups: ['baseline', 'stress'] });
  });

  it('plans every entry × trial with trial-specific seeds and the stress multiplier', () => {
    // Act
    const plan = planSuite(parseBatchArgs(['0.25', '0', '--trials', '2', '--rate', '2']));

    // Assess
    expect(plan).toHaveLength(32);
    expect(plan.filter((item) => item.trial === 2).every((item) => item.spec.seed === 43)).toBe(true);
    expect(plan.find((item) => item.entry.group === 'stress')!.spec.ratePerProducer).toBe(20);
    expect(plan.some((item) => idlePollers(item.spec) > 0)).toBe(true);
  });

  it.each([
    [['1', '10', '5'], /at most \[minutes_per_experiment\] \[cooldown_seconds\]/],
    [['--trials', '0'], /--trials must be a whole number from 1 to 20/],
    [['--only', 'everything'], /unknown group "everything"/],
    [['--suite-id', '../etc'], /--suite-id must be/],
  ])('refuses %j', (argv, message) => {
    // Act + Assess
    expect(() => parseBatchArgs(argv)).toThrow(message);
  });
});

describe('npm run experiment:report arguments', () => {
  it('takes ids or a suite, an output file and --json', () => {
    // Act
    const byIds = parseReportArgs(['a-1', 'b.2', 'a-1', '--out', 'r.html', '--json'], '/tmp');
    const bySuite = parseReportArgs(['--suite-id', 'suite-1']);

    // Assess
    expect(byIds).toMatchObject({ ids: ['a-1', 'b.2'], out: '/tmp/r.html', json: true, suiteId: null });
    expect(bySuite).toMatchObject({ ids: [], suiteId: 'suite-1' });
  });

  it.each([
    [['a', '--suite-id', 's'], /not both/],
    [['../../etc/passwd'], /is not an experiment id/],
    [['--out', 'report.sh'], /--out must name an .html file/],
  ])('refuses %j', (argv, message) => {
    // Act + Assess
    expect(() => parseReportArgs(argv)).toThrow(message);
  });
});
