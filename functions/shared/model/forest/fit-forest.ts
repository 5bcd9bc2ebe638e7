import { buildTree } from './build-tree.js';
import { NodeBuffer, type FlatForest } from './flat-forest.js';
import type { ForestOptions } from './options.js';
import { heightLimit } from './path-length.js';
import { SeededRandom } from './prng.js';

/**
 * Fits an isolation forest (Liu, Ting & Zhou, ICDM 2008) on validated rows: for each of `trees` trees,
 * draws ψ = min(sampleSize, rowCount) distinct rows (partial Fisher–Yates over one reused index
 * permutation, which stays a uniform sample whatever order the previous tree left it in) and grows a
 * tree on them with height limit ⌈log₂ ψ⌉. All randomness comes from one SeededRandom(seed), consumed in
 * a fixed order, so equal inputs give bit-identical forests.
 */
export function fitForest(rows: Float64Array, rowCount: number, dims: number, options: ForestOptions): FlatForest {
  const psi = Math.min(options.sampleSize, rowCount);
  const random = new SeededRandom(options.seed);
  const order = new Int32Array(rowCount);
  for (let i = 0; i < rowCount; i++) order[i] = i;
  const nodes = new NodeBuffer(options.trees * Math.min(2 * psi - 1, 2 ** (heightLimit(psi) + 1) - 1));
  const ctx = {
    rows,
    dims,
    heightLimit: heightLimit(psi),
    random,
    nodes,
    low: new Float64Array(dims),
    high: new Float64Array(dims),
    candidates: new Int32Array(dims),
  };
  const roots = new Int32Array(options.trees);
  const heights = new Int32Array(options.trees);
  for (let t = 0; t < options.trees; t++) {
    for (let i = 0; i < psi; i++) {
      const j = i + random.nextInt(rowCount - i);
      const picked = order[j] as number;
      order[j] = order[i] as number;
      order[i] = picked;
    }
    const { root, height } = buildTree(ctx, order.subarray(0, psi));
    roots[t] = root;
    heights[t] = height;
  }
  return nodes.finish(dims, psi, roots, heights);
}
