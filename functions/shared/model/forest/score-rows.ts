import type { FlatForest } from './flat-forest.js';
import { averagePathLength } from './path-length.js';

/** Rows per pass over the trees: 256 rows × 8 features × 8 bytes = 16 KiB stays in L1 beside one tree. */
const BLOCK_ROWS = 256;

/**
 * Reference (pure TypeScript) path sums: sums[r] = Σ_t h_t(row r), trees in index order. Used where
 * WebAssembly is unavailable and as the oracle the WebAssembly kernel must match bit for bit.
 * Inputs are assumed validated. Allocation-free.
 *
 * Every row walks exactly heights[t] steps (leaves loop onto themselves, see FlatForest); `+(a ≥ b)`
 * compiles to a flag move rather than a branch, so the walk has no data-dependent branch.
 */
export function referencePathSums(forest: FlatForest, rows: Float64Array, rowCount: number, sums: Float64Array): void {
  const { dims, roots, heights, feature, threshold, child, pathValue, treeCount } = forest;
  sums.fill(0, 0, rowCount);
  for (let start = 0; start < rowCount; start += BLOCK_ROWS) {
    const end = Math.min(rowCount, start + BLOCK_ROWS);
    for (let t = 0; t < treeCount; t++) {
      const root = roots[t] as number;
      const steps = heights[t] as number;
      for (let r = start; r < end; r++) {
        const base = r * dims;
        let node = root;
        for (let s = 0; s < steps; s++) {
          node = (child[node] as number) + +((rows[base + (feature[node] as number)] as number) >= (threshold[node] as number));
        }
        sums[r] = (sums[r] as number) + (pathValue[node] as number);
      }
    }
  }
}

/** In place: sums[r] (Σ_t h_t) → s(x) = 2^(−E[h(x)] / c(ψ)) with E[h] = Σ_t h_t / t. */
export function pathSumsToScores(forest: FlatForest, values: Float64Array, rowCount: number): void {
  const scale = -1 / (forest.treeCount * averagePathLength(forest.sampleSize));
  for (let r = 0; r < rowCount; r++) values[r] = 2 ** ((values[r] as number) * scale);
}
