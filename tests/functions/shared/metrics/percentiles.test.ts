import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { percentile, summarizeLatencies } from '../../../../functions/shared/metrics/percentiles.js';

describe('percentile', () => {
  it('interpolates linearly between the nearest ranks, whatever the input order', () => {
    // Prepare
    const latenciesMs = [40, 10, 30, 20];

    // Act / Assess
    expect(percentile(latenciesMs, 0)).toBe(10);
    expect(percentile(latenciesMs, 50)).toBe(25);
    expect(percentile(latenciesMs, 100)).toBe(40);
    expect(percentile(latenciesMs, 95)).toBeCloseTo(38.5, 10);
    expect(latenciesMs).toEqual([40, 10, 30, 20]);
  });

  it('returns the only value of a one-element sample', () => {
    // Act / Assess
    expect(percentile([7], 99)).toBe(7);
  });

  it.each([
    ['an empty sample', [], 50, 'a percentile of an empty sample is undefined'],
    ['NaN in the sample', [1, Number.NaN], 50, 'non-finite'],
    ['Infinity in the sample', [1, Number.POSITIVE_INFINITY], 50, 'non-finite'],
    ['p above 100', [1, 2], 101, 'percentile must be from 0 to 100'],
    ['p that is NaN', [1, 2], Number.NaN, 'percentile must be from 0 to 100'],
  ])('refuses %s', (_label, values, p, message) => {
    // Act / Assess
    expect(() => percentile(values, p)).toThrow(ValidationError);
    expect(() => percentile(values, p)).toThrow(message);
  });
});

describe('summarizeLatencies', () => {
  it('summarises 1..100 ms', () => {
    // Prepare
    const latenciesMs = Array.from({ length: 100 }, (_, index) => 100 - index);

    // Act
    const summary = summarizeLatencies(latenciesMs);

    // Assess
    expect(summary).toEqual({ count: 100, min: 1, max: 100, mean: 50.5, p50: 50.5, p95: expect.closeTo(95.05, 10), p99: expect.closeTo(99.01, 10) });
  });

  it('is null for an empty sample', () => {
    // Act / Assess
    expect(summarizeLatencies([])).toBeNull();
  });
});
