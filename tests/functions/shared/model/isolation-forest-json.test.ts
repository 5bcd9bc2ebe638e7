import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { IsolationForest, type SerializedForest } from '../../../../functions/shared/model/isolation-forest.js';
import { gaussianRows } from './forest-fixtures.js';

/** A small valid artifact: 3 trees, ψ 8 (height limit 3), 3 dims. */
const base: SerializedForest = IsolationForest.fit(gaussianRows(30, 3, 9), 30, 3, { trees: 3, sampleSize: 8, seed: 5 }).toJSON();

function artifact(change: (a: Record<string, unknown>) => void): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  change(copy);
  return copy;
}

function floats(values: number[]): string {
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
  return bytes.toString('base64');
}

function thresholdsOf(a: { thresholds: string }): number[] {
  const bytes = Buffer.from(a.thresholds, 'base64');
  return Array.from({ length: bytes.length / 8 }, (_, i) => bytes.readDoubleLE(i * 8));
}

const splitIndex = base.nodes.findIndex((code) => code >= 0);

describe('IsolationForest.fromJSON', () => {
  it('accepts the artifact toJSON produced, and a hand-written one with the documented meaning', () => {
    // Prepare: one tree over ψ = 2 rows: split feature 0 at 0.5; two leaves of one row each.
    const handWritten = { format: 'isolation-forest', version: 1, dims: 1, options: { trees: 1, sampleSize: 2, seed: 0 }, sampleSize: 2, nodes: [0, -1, -1], thresholds: floats([0.5]) };
    // Act
    const restored = IsolationForest.fromJSON(artifact(() => {}));
    const tiny = IsolationForest.fromJSON(handWritten);
    // Assess
    expect(restored.toJSON()).toEqual(base);
    expect(tiny.scoreOne([0])).toBe(0.5); // h = 1 = c(2) for every x
    expect(tiny.toJSON()).toEqual(handWritten);
  });

  const hostile: Array<[string, unknown, RegExp]> = [
    ['null', null, /expected a JSON object/],
    ['a JSON string (unparsed)', JSON.stringify(base), /expected a JSON object/],
    ['an array', [base], /expected a JSON object/],
    ['a missing key', artifact((a) => delete a['thresholds']), /missing "thresholds"/],
    ['an unknown key', artifact((a) => (a['extra'] = 1)), /unknown key "extra"/],
    ['a __proto__ key', JSON.parse(`{"__proto__": {"dims": 3}, ${JSON.stringify(base).slice(1)}`), /unknown key "__proto__"/],
    ['another format', artifact((a) => (a['format'] = 'random-forest')), /format must be "isolation-forest"/],
    ['a future version', artifact((a) => (a['version'] = 2)), /unsupported version 2/],
    ['dims 0', artifact((a) => (a['dims'] = 0)), /dims must be an integer in \[1, 4096\]/],
    ['dims as a string', artifact((a) => (a['dims'] = '3')), /dims must be an integer/],
    ['dims smaller than a split feature', artifact((a) => (a['dims'] = 1)), /splits on feature \d, but dims is 1/],
    ['options not an object', artifact((a) => (a['options'] = 'fast')), /options must be an object/],
    ['options missing seed', artifact((a) => delete (a['options'] as Record<string, unknown>)['seed']), /options.seed is missing/],
    ['trees 0', artifact((a) => ((a['options'] as Record<string, unknown>)['trees'] = 0)), /trees must be an integer in \[1, 10000\]/],
    ['more trees than stored', artifact((a) => ((a['options'] as Record<string, unknown>)['trees'] = 4)), /nodes end inside tree 3/],
    ['fewer trees than stored', artifact((a) => ((a['options'] as Record<string, unknown>)['trees'] = 2)), /9 nodes left over after 2 trees/],
    ['sampleSize above options.sampleSize', artifact((a) => (a['sampleSize'] = 9)), /sampleSize must be an integer in \[2, 8\]/],
    ['sampleSize inconsistent with the leaves', artifact((a) => ((a['sampleSize'] = 7), ((a['options'] as Record<string, unknown>)['sampleSize'] = 7))), /leaves hold 8 rows, expected ψ = 7/],
    ['nodes not an array', artifact((a) => (a['nodes'] = '0,-1,-1')), /nodes must be an array/],
    ['a fractional node', artifact((a) => ((a['nodes'] as number[])[0] = 0.5)), /node 0 is not an integer/],
    ['a null node', artifact((a) => ((a['nodes'] as unknown[])[1] = null)), /node 1 is not an integer/],
    ['a string node', artifact((a) => ((a['nodes'] as unknown[])[0] = '0')), /node 0 is not an integer/],
    ['a leaf larger than ψ', artifact((a) => (a['nodes'] = (a['nodes'] as number[]).map((c) => (c < 0 ? -9 : c)))), /holds 9 rows, more than ψ 8/],
    ['a feature index beyond dims', artifact((a) => ((a['nodes'] as number[])[splitIndex] = 3)), /splits on feature 3, but dims is 3/],
    ['truncated nodes', artifact((a) => (a['nodes'] as number[]).pop()), /nodes end inside tree 2/],
    ['a trailing node', artifact((a) => (a['nodes'] as number[]).push(-1)), /1 nodes left over after 3 trees/],
    ['thresholds not a string', artifact((a) => (a['thresholds'] = [0.5])), /thresholds must be a base64 string/],
    ['thresholds with non-base64 characters', artifact((a) => (a['thresholds'] = `${'*'.repeat(8)}`)), /not valid base64/],
    ['thresholds of a partial float', artifact((a) => (a['thresholds'] = Buffer.alloc(12).toString('base64'))), /decode to 12 bytes, not a whole number of float64/],
    ['a NaN threshold', artifact((a) => (a['thresholds'] = floats([Number.NaN, ...thresholdsOf(base).slice(1)]))), /threshold 0 is NaN/],
    ['an infinite threshold', artifact((a) => (a['thresholds'] = floats([...thresholdsOf(base).slice(1), Infinity]))), /is Infinity/],
    ['truncated thresholds', artifact((a) => (a['thresholds'] = floats(thresholdsOf(base).slice(0, -1)))), /thresholds end at split/],
    ['a trailing threshold', artifact((a) => (a['thresholds'] = floats([...thresholdsOf(base), 1]))), /1 thresholds left over/],
    [
      'a tree deeper than ⌈log₂ ψ⌉',
      { format: 'isolation-forest', version: 1, dims: 1, options: { trees: 1, sampleSize: 4, seed: 0 }, sampleSize: 4, nodes: [0, 0, 0, -1, -1, -1, -1], thresholds: floats([1, 2, 3]) },
      /splits at depth 2, beyond the height limit 2/,
    ],
    ['oversize nodes', artifact((a) => (a['nodes'] = new Array(3 * 15 + 1).fill(-1))), /46 nodes exceed the maximum 45/],
    ['an oversize thresholds string', artifact((a) => (a['thresholds'] = 'A'.repeat(1_000_000))), /too long/],
  ];

  it.each(hostile)('rejects %s with a ValidationError', (_name, input, message) => {
    // Prepare (table above) / Act
    const act = (): unknown => IsolationForest.fromJSON(input);
    // Assess
    expect(act).toThrow(ValidationError);
    expect(act).toThrow(message);
  });
});
