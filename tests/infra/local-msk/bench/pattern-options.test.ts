import { describe, expect, it } from 'vitest';
import { parsePatternOptions } from '../../../../infra/local-msk/bench/pattern-options.js';

describe('parsePatternOptions', () => {
  it('defaults to the pipeline shape at 20,000 records/s over 5 partitions', () => {
    // Act
    const options = parsePatternOptions(['--pattern', 'pipeline']);

    // Assess
    expect(options).toEqual({ rounds: 3, rate: 20_000, seconds: 10, warmupSeconds: 2, partitions: 5, commitIntervalMs: 250, metricsPerSecond: 4, cpuProfDir: null, inMemory: false });
  });

  it('reads every flag', () => {
    // Act
    const options = parsePatternOptions([
      '--pattern', 'pipeline', '--rate', '10000', '--seconds', '5', '--warmup-seconds', '0', '--partitions', '7',
      '--rounds', '1', '--commit-interval-ms', '0', '--metrics-per-second', '2', '--cpu-prof-dir', 'prof', '--in-memory',
    ]);

    // Assess
    expect(options).toEqual({ rounds: 1, rate: 10_000, seconds: 5, warmupSeconds: 0, partitions: 7, commitIntervalMs: 0, metricsPerSecond: 2, cpuProfDir: 'prof', inMemory: true });
  });

  it.each([
    [['--pattern', 'other'], /--pattern other.*only pattern is "pipeline"/],
    [['--pattern', 'pipeline', '--rate', '0'], /--rate 0: expected an integer from 1 to 1000000/],
    [['--pattern', 'pipeline', '--rate', '-5'], /--rate -5/],
    [['--pattern', 'pipeline', '--partitions', '65'], /--partitions 65: expected an integer from 1 to 64/],
    [['--pattern', 'pipeline', '--seconds', '1e3'], /--seconds 1e3/],
    [['--pattern', 'pipeline', '--seconds'], /--seconds : expected an integer/],
    [['--pattern', 'pipeline', '--cpu-prof-dir', '--rate'], /--cpu-prof-dir: expected a directory/],
    [['--pattern', 'pipeline', '--bogus', '1'], /unknown option --bogus/],
  ])('refuses %j with a message naming the flag', (argv, message) => {
    // Act + Assess
    expect(() => parsePatternOptions(argv)).toThrow(message);
  });
});
