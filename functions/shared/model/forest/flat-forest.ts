import { averagePathLength } from './path-length.js';

/**
 * The forest as flat typed arrays shared by all trees (struct-of-arrays, one slot per node).
 *
 * Invariants (established by `NodeBuffer.finish`, checked on deserialisation):
 * - Tree t's root is node `roots[t]`; its nodes occupy a contiguous index range, and every child
 *   index is greater than its parent's, so the graph is a tree with no cycles.
 * - Internal node n splits on `feature[n]` at `threshold[n]` (finite): a row goes to `child[n]` when
 *   `row[feature[n]] < threshold[n]`, else to `child[n] + 1` (children are allocated in pairs).
 * - Leaf n has `child[n] === n`, `feature[n] === 0` and `threshold[n] === NaN`: `x >= NaN` is false
 *   for every x, so a row that reaches a leaf stays there. Scoring therefore walks every tree a fixed
 *   `heights[t]` steps with no data-dependent branch, and reads `pathValue` where it lands.
 * - `pathValue[n]` (leaves only) = depth(n) + c(size[n]), the paper's h(x) for rows ending there.
 * - `size[n]` = number of training rows that reached node n (leaf sizes of a tree sum to ψ).
 */
export interface FlatForest {
  readonly dims: number;
  /** ψ actually used: min(sampleSize, rowCount) at fit time. */
  readonly sampleSize: number;
  readonly treeCount: number;
  readonly nodeCount: number;
  readonly roots: Int32Array;
  /** Steps needed to reach any leaf of tree t (its height, in edges). */
  readonly heights: Int32Array;
  readonly feature: Int32Array;
  readonly threshold: Float64Array;
  readonly child: Int32Array;
  readonly pathValue: Float64Array;
  readonly size: Int32Array;
}

/** Most nodes a forest may hold (fit and fromJSON alike): bounds memory for hostile artifacts. */
export const MAX_FOREST_NODES = 1 << 25;

/** Growable node storage used while building (fit) or decoding (fromJSON) a forest. */
export class NodeBuffer {
  private capacity: number;
  count = 0;
  feature: Int32Array;
  threshold: Float64Array;
  child: Int32Array;
  pathValue: Float64Array;
  size: Int32Array;

  /** `expectedNodes` only sizes the first allocation (capped at 2^18 nodes, ~7 MB); it grows on demand. */
  constructor(expectedNodes: number) {
    this.capacity = Math.max(16, Math.min(expectedNodes, 1 << 18));
    this.feature = new Int32Array(this.capacity);
    this.threshold = new Float64Array(this.capacity);
    this.child = new Int32Array(this.capacity);
    this.pathValue = new Float64Array(this.capacity);
    this.size = new Int32Array(this.capacity);
  }

  /** Reserves `n` consecutive node slots and returns the first index; null past MAX_FOREST_NODES. */
  allocate(n: number): number | null {
    const first = this.count;
    if (first + n > MAX_FOREST_NODES) return null;
    if (first + n > this.capacity) this.grow(Math.min(MAX_FOREST_NODES, Math.max(first + n, this.capacity * 2)));
    this.count = first + n;
    return first;
  }

  setLeaf(node: number, depth: number, size: number): void {
    this.feature[node] = 0;
    this.threshold[node] = Number.NaN;
    this.child[node] = node;
    this.pathValue[node] = depth + averagePathLength(size);
    this.size[node] = size;
  }

  setSplit(node: number, feature: number, threshold: number, firstChild: number, size: number): void {
    this.feature[node] = feature;
    this.threshold[node] = threshold;
    this.child[node] = firstChild;
    this.pathValue[node] = 0;
    this.size[node] = size;
  }

  finish(dims: number, sampleSize: number, roots: Int32Array, heights: Int32Array): FlatForest {
    const n = this.count;
    return {
      dims,
      sampleSize,
      treeCount: roots.length,
      nodeCount: n,
      roots,
      heights,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      child: this.child.slice(0, n),
      pathValue: this.pathValue.slice(0, n),
      size: this.size.slice(0, n),
    };
  }

  private grow(capacity: number): void {
    const copy = <T extends Int32Array | Float64Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.feature = copy(this.feature, new Int32Array(capacity));
    this.threshold = copy(this.threshold, new Float64Array(capacity));
    this.child = copy(this.child, new Int32Array(capacity));
    this.pathValue = copy(this.pathValue, new Float64Array(capacity));
    this.size = copy(this.size, new Int32Array(capacity));
    this.capacity = capacity;
  }
}
