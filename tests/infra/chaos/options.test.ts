import { describe, expect, it } from 'vitest';
import { ChaosUsageError, defaultFaults, parseChaosArgs } from '../../../infra/chaos/options.js';

const fixedSeed = () => 1234;

describe('npm run chaos options', () => {
  it('has defaults: 3 minutes at 5000 records/s, 12 faults, a random seed', () => {
    // Act
    const options = parseChaosArgs([], fixedSeed);

    // Assess
    expect(options).toEqual({ minutes: 3, rate: 5_000, seed: 1234, faults: 12, json: false, keep: false, help: false });
  });

  it('takes every flag, in both --flag value and --flag=value forms', () => {
    // Act
    const options = parseChaosArgs(['--minutes', '0.5', '--rate=300', '--seed', '0', '--faults', '3', '--json', '--keep'], fixedSeed);

    // Assess
    expect(options).toEqual({ minutes: 0.5, rate: 300, seed: 0, faults: 3, json: true, keep: true, help: false });
    expect(parseChaosArgs(['--help'], fixedSeed).help).toBe(true);
    expect(parseChaosArgs(['-h'], fixedSeed).help).toBe(true);
  });

  it('defaults to 4 faults a minute, at least one of each kind, at most what fits', () => {
    expect(defaultFaults(3)).toBe(12);
    expect(defaultFaults(1)).toBe(4);
    expect(defaultFaults(0.5)).toBe(3);
    expect(parseChaosArgs(['--minutes', '0.25'], fixedSeed).faults).toBe(3);
    expect(parseChaosArgs(['--faults', '0'], fixedSeed).faults).toBe(0);
  });

  it.each([
    [['--minutes', '0.1'], '--minutes: "0.1" must be a number from 0.25 to 60'],
    [['--minutes', '61'], '--minutes: "61" must be a number from 0.25 to 60'],
    [['--minutes', 'three'], '--minutes: "three" must be a number'],
    [['--minutes='], '--minutes: "" must be a number'],
    [['--minutes'], '--minutes needs a value'],
    [['--rate', '0'], '--rate: "0" must be a whole number from 1 to 50000'],
    [['--rate', '2.5'], '--rate: "2.5" must be a whole number'],
    [['--rate', '60000'], 'from 1 to 50000'],
    [['--rate', '--json'], '--rate needs a value'],
    [['--seed', '-1'], '--seed needs a value'],
    [['--seed', '4294967296'], '--seed: "4294967296" must be a whole number from 0 to 4294967295'],
    [['--seed', 'abc'], '--seed: "abc" must be a whole number'],
    [['--faults', 'many'], '--faults: "many" must be a whole number'],
    [['--faults', '13', '--minutes', '0.5'], '--faults: 13 do not fit in --minutes 0.5: at most 8'],
    [['--json=yes'], '--json takes no value'],
    [['--keep=1'], '--keep takes no value'],
    [['--speed', '3'], 'unknown option "--speed" (see --help)'],
    [['3'], 'unexpected argument "3": every value follows its flag'],
  ])('refuses %j: %s', (argv, message) => {
    // Act
    const parse = () => parseChaosArgs(argv, fixedSeed);

    // Assess: the message names the flag, and parse errors come with the usage
    expect(parse).toThrow(ChaosUsageError);
    expect(parse).toThrow(message);
  });

  it('adds the usage to errors the parser itself finds', () => {
    expect(() => parseChaosArgs(['--turbo'], fixedSeed)).toThrow('Usage: npm run chaos --');
  });
});
