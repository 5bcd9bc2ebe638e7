import { ValidationError } from '../../errors.js';
import { MAX_FOREST_NODES, type NodeBuffer } from './flat-forest.js';
import type { SeededRandom } from './prng.js';

/** Training rows (row-major, `dims` values each) and reusable per-fit scratch space. */
export interface TreeBuildContext {
  readonly rows: Float64Array;
  readonly dims: number;
  /** Height limit ⌈log₂ ψ⌉: a node at this depth is always a leaf. */
  readonly heightLimit: number;
  readonly random: SeededRandom;
  readonly nodes: NodeBuffer;
  /** Scratch of length dims: the drawn feature's min / max in the node being split, and a feature permutation. */
  readonly low: Float64Array;
  readonly high: Float64Array;
  readonly candidates: Int32Array;
}

/**
 * Grows one isolation tree over the sample `indices` (row ids into ctx.rows; reordered in place) and
 * returns its root and height. Node n at depth d holding rows R becomes a leaf when d = heightLimit,
 * |R| ≤ 1, or every row of R is equal on every feature; otherwise it splits on a feature q drawn
 * uniformly among those not constant over R, at p drawn uniformly in (min_R q, max_R q]; rows with
 * x_q < p go left, the others right, so both children are non-empty.
 */
export function buildTree(ctx: TreeBuildContext, indices: Int32Array): { root: number; height: number } {
  const root = allocate(ctx, 1);
  const height = growNode(ctx, indices, root, 0, indices.length, 0);
  return { root, height };
}

function growNode(ctx: TreeBuildContext, indices: Int32Array, node: number, lo: number, hi: number, depth: number): number {
  const size = hi - lo;
  if (depth >= ctx.heightLimit || size <= 1) {
    ctx.nodes.setLeaf(node, depth, size);
    return depth;
  }
  const feature = pickFeature(ctx, indices, lo, hi);
  if (feature < 0) {
    ctx.nodes.setLeaf(node, depth, size);
    return depth;
  }
  const threshold = pickThreshold(ctx.low[feature] as number, ctx.high[feature] as number, ctx.random.nextFloat());
  const mid = partition(ctx.rows, ctx.dims, indices, lo, hi, feature, threshold);
  const firstChild = allocate(ctx, 2);
  ctx.nodes.setSplit(node, feature, threshold, firstChild, size);
  const leftHeight = growNode(ctx, indices, firstChild, lo, mid, depth + 1);
  const rightHeight = growNode(ctx, indices, firstChild + 1, mid, hi, depth + 1);
  return Math.max(leftHeight, rightHeight);
}

/**
 * Draws features in random order (partial Fisher–Yates over ctx.candidates) until one is not
 * constant over rows [lo, hi); the first such is uniform among the non-constant features. Returns
 * it, with its range in ctx.low/high[feature]; -1 if every feature is constant. Usually scans one
 * feature, not all of them.
 */
function pickFeature(ctx: TreeBuildContext, indices: Int32Array, lo: number, hi: number): number {
  const { rows, dims, low, high, candidates } = ctx;
  for (let f = 0; f < dims; f++) candidates[f] = f;
  for (let tried = 0; tried < dims; tried++) {
    const pick = tried + ctx.random.nextInt(dims - tried);
    const feature = candidates[pick] as number;
    candidates[pick] = candidates[tried] as number;
    candidates[tried] = feature;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = lo; i < hi; i++) {
      const v = rows[(indices[i] as number) * dims + feature] as number;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    if (max > min) {
      low[feature] = min;
      high[feature] = max;
      return feature;
    }
  }
  return -1;
}

/** A split point p with low < p ≤ high (requires low < high, both finite), uniform up to rounding. */
export function pickThreshold(low: number, high: number, u: number): number {
  let p = low + u * (high - low);
  if (!Number.isFinite(p)) p = low * (1 - u) + high * u; // high − low overflowed
  return p > low && p <= high ? p : high;
}

/** Reorders indices[lo, hi) so rows with x_feature < threshold come first; returns the boundary. */
function partition(rows: Float64Array, dims: number, indices: Int32Array, lo: number, hi: number, feature: number, threshold: number): number {
  let left = lo;
  for (let i = lo; i < hi; i++) {
    const id = indices[i] as number;
    if ((rows[id * dims + feature] as number) < threshold) {
      indices[i] = indices[left] as number;
      indices[left] = id;
      left++;
    }
  }
  return left;
}

function allocate(ctx: TreeBuildContext, n: number): number {
  const first = ctx.nodes.allocate(n);
  if (first === null) {
    throw new ValidationError(`forest too large: more than ${MAX_FOREST_NODES} nodes; lower trees or sampleSize`);
  }
  return first;
}
