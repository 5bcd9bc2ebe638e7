import { createRequire } from 'node:module';
import { SeededRandom } from '../../../functions/shared/model/forest/prng.js';

/** The part of the untyped `ml-isolation-forest` package (v0.1) used here. */
interface MlIsolationForest {
  train(rows: number[][]): void;
  predict(rows: number[][]): number[];
}
type MlIsolationForestClass = new (options?: { nEstimators?: number }) => MlIsolationForest;

const require = createRequire(import.meta.url);
const { IsolationForest: MlForest } = require('ml-isolation-forest') as { IsolationForest: MlIsolationForestClass };

export function toNestedRows(rows: Float64Array, rowCount: number, dims: number): number[][] {
  return Array.from({ length: rowCount }, (_, r) => Array.from(rows.subarray(r * dims, (r + 1) * dims)));
}

/**
 * Fits `ml-isolation-forest` (the npm baseline). It trains every tree on all the rows it is given
 * (no sub-sampling, height limit ⌈log₂ n⌉) and draws splits with Math.random, which is swapped for a
 * SeededRandom during training so that runs repeat. Give it ψ rows to match a ψ-sample forest.
 */
export function fitMlIsolationForest(rows: Float64Array, rowCount: number, dims: number, trees: number, seed: number): MlIsolationForest {
  const forest = new MlForest({ nEstimators: trees });
  const original = Math.random;
  const random = new SeededRandom(seed);
  Math.random = () => random.nextFloat();
  try {
    forest.train(toNestedRows(rows, rowCount, dims));
  } finally {
    Math.random = original;
  }
  return forest;
}
