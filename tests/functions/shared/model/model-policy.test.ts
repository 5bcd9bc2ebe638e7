import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../functions/shared/errors.js';
import { defaultModelPolicy, resolveModelPolicy } from '../../../../functions/shared/model/model-policy.js';
import { largestContributions } from '../../../../functions/shared/model/record-scoring.js';

describe('resolveModelPolicy', () => {
  it('defaults to the seed system: recheck 30 s, train on 1,000, retry every 20, retrain every 10,000, at most once a minute', () => {
    // Act
    const policy = resolveModelPolicy();
    // Assess
    expect(policy).toMatchObject({ recheckSeconds: 30, trainingWindow: 1000, firstTrainingWindow: 200, retryEvery: 20, retrainEvery: 10_000, retrainMinSeconds: 60, contamination: 0.1 });
    expect(policy.shift).toEqual(defaultModelPolicy.shift);
  });

  it('merges overrides, including a partial shift policy, and ignores undefined values', () => {
    // Act
    const policy = resolveModelPolicy({ trainingWindow: 50, recheckSeconds: undefined, shift: { window: 40 } });
    // Assess
    expect(policy.trainingWindow).toBe(50);
    expect(policy.recheckSeconds).toBe(30);
    expect(policy.shift).toEqual({ ...defaultModelPolicy.shift, window: 40 });
  });

  it.each([
    [{ trainingWindow: 1 }, /trainingWindow/],
    [{ firstTrainingWindow: 0 }, /firstTrainingWindow must be a number in \[2, 1000000\], got 0/],
    [{ firstTrainingWindow: 1 }, /firstTrainingWindow must be a number in \[2, 1000000\], got 1/],
    [{ firstTrainingWindow: 1_000_001 }, /firstTrainingWindow must be a number in \[2, 1000000\]/],
    [{ firstTrainingWindow: 2.5 }, /firstTrainingWindow must be an integer, got 2\.5/],
    [{ retryEvery: 0 }, /retryEvery/],
    [{ retrainEvery: 1.5 }, /retrainEvery must be an integer/],
    [{ recheckSeconds: -1 }, /recheckSeconds/],
    [{ retrainMinSeconds: -1 }, /retrainMinSeconds must be a number in \[0, 86400\], got -1/],
    [{ retrainMinSeconds: 86_401 }, /retrainMinSeconds must be a number in \[0, 86400\]/],
    [{ retrainMinSeconds: 1.5 }, /retrainMinSeconds must be an integer, got 1\.5/],
    [{ retrainMinSeconds: Number.NaN }, /retrainMinSeconds/],
    [{ retrainMinSeconds: '60' as unknown as number }, /retrainMinSeconds/],
    [{ contamination: 0 }, /contamination must be in \(0, 0\.5\]/],
    [{ contamination: 0.6 }, /contamination/],
    [{ contamination: Number.NaN }, /contamination/],
    [{ shift: { flaggedRatio: 0.5 } }, /shift\.flaggedRatio/],
    [{ topContributors: -1 }, /topContributors/],
  ])('refuses %j with a ConfigError naming the value', (overrides, message) => {
    expect(() => resolveModelPolicy(overrides)).toThrow(ConfigError);
    expect(() => resolveModelPolicy(overrides)).toThrow(message);
  });

  it('cuts firstTrainingWindow to the training window, whichever of the two is overridden', () => {
    expect(resolveModelPolicy({ trainingWindow: 150 })).toMatchObject({ trainingWindow: 150, firstTrainingWindow: 150 });
    expect(resolveModelPolicy({ firstTrainingWindow: 5000 })).toMatchObject({ trainingWindow: 1000, firstTrainingWindow: 1000 });
    expect(resolveModelPolicy({ trainingWindow: 2, firstTrainingWindow: 1_000_000 }).firstTrainingWindow).toBe(2);
    expect(resolveModelPolicy({ trainingWindow: 5000, firstTrainingWindow: 2 }).firstTrainingWindow).toBe(2);
  });

  it('accepts a retrain floor from 0 (none) to 86,400 seconds', () => {
    expect(resolveModelPolicy({ retrainMinSeconds: 0 }).retrainMinSeconds).toBe(0);
    expect(resolveModelPolicy({ retrainMinSeconds: 86_400 }).retrainMinSeconds).toBe(86_400);
  });
});

describe('largestContributions', () => {
  it('keeps the largest positive contributions, largest first, ties in feature order', () => {
    // Prepare
    const names = ['a', 'b', 'c', 'd', 'e'];
    const values = [0.1, 0.5, -0.2, 0.5, 0];
    // Act
    const top = largestContributions(values, names, 3);
    // Assess
    expect(Object.entries(top)).toEqual([
      ['b', 0.5],
      ['d', 0.5],
      ['a', 0.1],
    ]);
    expect(largestContributions(values, names, 0)).toEqual({});
  });
});
