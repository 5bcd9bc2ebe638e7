import { describe, expect, it } from 'vitest';
import { diskBytesNeeded, parseScaleArgs, ScaleUsageError } from '../../../../infra/bench/scale/scale-options.js';

describe('bench:scale options', () => {
  it('default to 50 M rows measured at 1 M, 10 M and 50 M, batches of 2,000, 5 runs, a tenth of the rows as the older day', () => {
    // Act + Assess
    expect(parseScaleArgs([])).toEqual({
      rows: 50_000_000,
      checkpoints: [1_000_000, 10_000_000, 50_000_000],
      batchRows: 2_000,
      repeat: 5,
      cleanupRows: 5_000_000,
      json: false,
      help: false,
    });
  });

  it('end the checkpoints at --rows: the defaults below it, or the given list with --rows added', () => {
    // Act + Assess
    expect(parseScaleArgs(['--rows', '10000000']).checkpoints).toEqual([1_000_000, 10_000_000]);
    expect(parseScaleArgs(['--rows', '20000']).checkpoints).toEqual([20_000]);
    expect(parseScaleArgs(['--rows', '20000', '--checkpoints', '10000,20000']).checkpoints).toEqual([10_000, 20_000]);
    expect(parseScaleArgs(['--rows', '30000', '--checkpoints', '5000, 10000']).checkpoints).toEqual([5_000, 10_000, 30_000]);
    expect(parseScaleArgs(['--rows', '20000', '--batch-rows', '100', '--repeat', '2', '--cleanup-rows', '3000', '--json'])).toMatchObject({
      batchRows: 100,
      repeat: 2,
      cleanupRows: 3_000,
      json: true,
    });
    expect(parseScaleArgs(['--help']).help).toBe(true);
  });

  it('refuse unknown, missing, malformed and absurd values with a ScaleUsageError naming the flag', () => {
    // Prepare
    const cases: Array<[string[], RegExp]> = [
      [['--rows', '999'], /--rows: "999" must be a whole number from 1000 to 200000000/],
      [['--rows', '300000000'], /--rows: "300000000" must be a whole number from 1000 to 200000000/],
      [['--rows', '1e6'], /--rows: "1e6" must be a whole number/],
      [['--rows', '-5'], /--rows needs a value/],
      [['--rows'], /--rows needs a value/],
      [['--batch-rows', '0'], /--batch-rows: "0" must be a whole number from 1 to 20000/],
      [['--repeat', '51'], /--repeat: "51" must be a whole number from 1 to 50/],
      [['--rows', '20000', '--cleanup-rows', '20001'], /--cleanup-rows: "20001" must be a whole number from 1 to 20000/],
      [['--rows', '20000', '--checkpoints', '20000,10000'], /--checkpoints: "20000,10000" must be strictly ascending/],
      [['--rows', '20000', '--checkpoints', '10000,30000'], /--checkpoints: "10000,30000" goes past --rows 20000/],
      [['--rows', '20000', '--checkpoints', '10k'], /--checkpoints: "10k" must be a comma-separated list of whole row counts/],
      [['--rows', '20000', '--checkpoints', '1,2,3,4,5,6,7,8,9,10,11'], /at most 10/],
      [['--json=yes'], /--json takes no value/],
      [['--drop-everything'], /unknown option "--drop-everything"/],
      [['20000'], /unexpected argument "20000"/],
    ];

    // Act + Assess
    for (const [argv, message] of cases) {
      expect(() => parseScaleArgs(argv), argv.join(' ')).toThrow(ScaleUsageError);
      expect(() => parseScaleArgs(argv), argv.join(' ')).toThrow(message);
    }
  });

  it('estimate the disk a run needs: about 0.75 KB per row of both days, plus WAL up to 5 GB', () => {
    // Act + Assess
    expect(diskBytesNeeded({ rows: 20_000, cleanupRows: 2_000 })).toBe(2 * 22_000 * 750);
    expect(diskBytesNeeded({ rows: 50_000_000, cleanupRows: 5_000_000 })).toBe(55_000_000 * 750 + 5 * 1024 ** 3);
  });
});
