import { describe, expect, it } from 'vitest';
import { parseDbBenchArgs } from '../../../../infra/bench/db/bench-options.js';

describe('bench:db options', () => {
  it('default to 40 measured batches of 2,000 rows after 5 warm-up batches, 5 % anomalies', () => {
    // Act + Assess
    expect(parseDbBenchArgs([])).toEqual({ batches: 40, rows: 2_000, warmup: 5, anomalyRate: 0.05 });
    expect(parseDbBenchArgs(['--batches', '10', '--rows', '500', '--warmup', '0', '--anomaly-rate', '0.1'])).toEqual({ batches: 10, rows: 500, warmup: 0, anomalyRate: 0.1 });
  });

  it('refuse unknown, missing, malformed and out-of-range values, naming the flag and the usage', () => {
    // Prepare
    const cases: Array<[string[], RegExp]> = [
      [['--rows'], /--rows: "undefined" must be an integer from 1 to 20000/],
      [['--rows', '0'], /--rows: "0" must be an integer from 1 to 20000/],
      [['--batches', '2.5'], /--batches: "2.5" must be an integer from 3 to 1000/],
      [['--batches', '1e3'], /--batches: "1e3" must be an integer/],
      [['--anomaly-rate', '0.9'], /--anomaly-rate: "0.9" must be a number from 0.001 to 0.5/],
      [['--warmup', '-1'], /--warmup: "-1" must be an integer/],
      [['--rows', `${'9'.repeat(500)}`], /--rows: "9{60}" must be an integer/],
      [['--drop-tables'], /unknown option "--drop-tables"/],
    ];

    // Act + Assess
    for (const [argv, message] of cases) {
      expect(() => parseDbBenchArgs(argv)).toThrow(message);
      expect(() => parseDbBenchArgs(argv)).toThrow(/Usage: npm run bench:db/);
    }
  });
});
