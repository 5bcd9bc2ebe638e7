import { describe, expect, it } from 'vitest';
import { nodeRuntimes, runtimeProblem } from '../../../infra/deploy/lambda-runtimes.js';

describe('runtimeProblem', () => {
  it('accepts a listed runtime before its deprecation date', () => {
    // Act, Assess
    expect(runtimeProblem('nodejs22.x', new Date('2027-04-29T23:00:00Z'))).toBeNull();
  });

  it('refuses a runtime on or after its deprecation date, and one Lambda does not list', () => {
    // Act
    const deprecated = runtimeProblem('nodejs20.x', new Date('2026-12-07T00:00:00Z'));
    const onTheDay = runtimeProblem('nodejs22.x', new Date('2027-04-30T00:00:00Z'));
    const unknown = runtimeProblem('nodejs23.x', new Date('2026-12-07T00:00:00Z'));

    // Assess
    expect(deprecated).toBe('nodejs20.x was deprecated on 2026-04-30: Lambda blocks creating and then updating functions on it; move to a newer runtime');
    expect(onTheDay).toMatch(/^nodejs22.x was deprecated on 2027-04-30/);
    expect(unknown).toMatch(/^nodejs23.x is not a Node.js runtime Lambda supports \(nodejs24.x, nodejs22.x/);
  });

  it('lists each runtime once, with a date and the Node.js major of its identifier', () => {
    // Act
    const identifiers = nodeRuntimes.map((runtime) => runtime.identifier);

    // Assess
    expect(new Set(identifiers).size).toBe(identifiers.length);
    for (const runtime of nodeRuntimes) {
      expect(runtime.identifier).toBe(`nodejs${runtime.nodeMajor}.x`);
      expect(runtime.deprecation).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
