import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../../../../infra/bench/pipeline/bench-options.js';

describe('bench:pipeline options', () => {
  it('has defaults and takes every flag', () => {
    expect(parseBenchArgs([])).toEqual({ rates: [1_000, 5_000, 10_000, 20_000, 30_000], seconds: 20, warmup: 3_000, cpuProf: false, runtimeEnv: {}, partitions: 5, withDashboard: true });
    expect(parseBenchArgs(['--rates', '500,2500', '--seconds', '5', '--warmup', '2000', '--partitions', '8', '--cpu-prof', '--with-dashboard', '--runtime-env', 'RETRAIN_EVERY=0', '--runtime-env', 'FEATURE_SET=seed'])).toEqual({
      rates: [500, 2500], seconds: 5, warmup: 2000, cpuProf: true, runtimeEnv: { RETRAIN_EVERY: '0', FEATURE_SET: 'seed' }, partitions: 8, withDashboard: true,
    });
  });

  it('runs the dashboard publisher by default (issue 21); --without-dashboard turns it off, --with-dashboard is still accepted', () => {
    expect(parseBenchArgs(['--without-dashboard']).withDashboard).toBe(false);
    expect(parseBenchArgs(['--with-dashboard']).withDashboard).toBe(true);
    expect(parseBenchArgs(['--without-dashboard', '--with-dashboard']).withDashboard).toBe(true);
    expect(() => parseBenchArgs(['--turbo'])).toThrow('unless --without-dashboard');
  });

  it.each([
    [['--rates', ''], '--rates'],
    [['--rates', '1000,fast'], 'comma-separated list'],
    [['--rates', '0'], '1..200000'],
    [['--seconds', '1'], 'from 2 to 3600'],
    [['--warmup', '10'], 'the model trains on the first 1000'],
    [['--partitions', '0'], '1..64'],
    [['--runtime-env', 'lower=1'], 'NAME=value'],
    [['--runtime-env'], 'needs a value'],
    [['--turbo', '1'], 'unknown option'],
  ])('refuses %j with a message naming the flag and the usage', (argv, message) => {
    expect(() => parseBenchArgs(argv)).toThrow(message);
    expect(() => parseBenchArgs(argv)).toThrow('Usage: npm run bench:pipeline');
  });
});
