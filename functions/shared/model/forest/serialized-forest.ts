import type { FlatForest } from './flat-forest.js';
import type { ForestOptions } from './options.js';

export const SERIALIZED_FORMAT = 'isolation-forest';
export const SERIALIZED_VERSION = 1;

/**
 * The JSON-safe form of a fitted forest (version 1). Trees are stored in preorder, which needs no
 * child indices: each tree is one root followed by its left subtree, then its right subtree.
 *
 * - `nodes[k]` ≥ 0: a split on feature `nodes[k]`; its threshold is the next entry of `thresholds`.
 *   `nodes[k]` < 0: a leaf that `−nodes[k]` training rows reached.
 * - `thresholds`: base64 of the split thresholds as little-endian float64, in preorder — exact, and
 *   about half the size of decimal JSON numbers.
 * Everything else (depths, path values, node sizes) is derived on load, so it cannot disagree.
 * 100 trees × ψ 256 is at most 51,100 nodes: a few hundred KB at worst, ~60–100 KB typically.
 */
export interface SerializedForest {
  format: typeof SERIALIZED_FORMAT;
  version: typeof SERIALIZED_VERSION;
  dims: number;
  options: ForestOptions;
  /** ψ actually used: min(options.sampleSize, training rows). */
  sampleSize: number;
  nodes: number[];
  thresholds: string;
}

export function serializeForest(forest: FlatForest, options: ForestOptions): SerializedForest {
  const nodes: number[] = [];
  const thresholds: number[] = [];
  const stack: number[] = [];
  for (let t = 0; t < forest.treeCount; t++) {
    stack.push(forest.roots[t] as number);
    while (stack.length > 0) {
      const node = stack.pop() as number;
      const firstChild = forest.child[node] as number;
      if (firstChild === node) {
        nodes.push(-(forest.size[node] as number));
      } else {
        nodes.push(forest.feature[node] as number);
        thresholds.push(forest.threshold[node] as number);
        stack.push(firstChild + 1, firstChild); // left popped (written) first
      }
    }
  }
  return {
    format: SERIALIZED_FORMAT,
    version: SERIALIZED_VERSION,
    dims: forest.dims,
    options: { trees: options.trees, sampleSize: options.sampleSize, seed: options.seed },
    sampleSize: forest.sampleSize,
    nodes,
    thresholds: encodeFloat64(thresholds),
  };
}

function encodeFloat64(values: readonly number[]): string {
  const bytes = Buffer.alloc(values.length * 8);
  values.forEach((v, i) => bytes.writeDoubleLE(v, i * 8));
  return bytes.toString('base64');
}
