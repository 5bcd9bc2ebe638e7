import type { FlatForest } from './flat-forest.js';
import { averagePathLength } from './path-length.js';

/**
 * Which features made this row easy to isolate — "path-shortfall attribution".
 *
 * For each tree t, let the row's path be v₀ (root) … v_d (leaf), with path length
 * h_t = d + c(size(v_d)) as in scoring. Its shortfall is δ_t = max(0, c(ψ) − h_t): how many edges
 * shorter than an average point's path this one is (only shorter-than-average paths make a score
 * exceed 0.5). The shortfall is shared among the splits on the path in proportion to how much of the
 * sample each split cut away from the row's side, w_i = ln(size(v_i) / size(v_{i+1})); the w_i sum to
 * ln(ψ / size(v_d)). A split that leaves the row alone with few other training rows is what shortens
 * its path, so it gets most of the credit; a split that merely halves a dense cluster gets little.
 * Credit goes to the split's feature: contribution[f] += δ_t · w_i / Σ w.
 *
 * The result (length dims, each ≥ 0) is normalised to sum to 1 whenever any tree has a shortfall;
 * it is all zeros for a row no tree isolates faster than average. Cost: O(trees × height), no
 * allocation beyond the returned array. The row must be validated (finite, length dims).
 */
export function explainRow(forest: FlatForest, row: Float64Array): Float64Array {
  const { roots, feature, threshold, child, pathValue, size, treeCount, dims } = forest;
  const contribution = new Float64Array(dims);
  const averagePath = averagePathLength(forest.sampleSize);
  for (let t = 0; t < treeCount; t++) {
    let leaf = roots[t] as number;
    while ((child[leaf] as number) !== leaf) {
      leaf = (child[leaf] as number) + +((row[feature[leaf] as number] as number) >= (threshold[leaf] as number));
    }
    const shortfall = averagePath - (pathValue[leaf] as number);
    const totalCut = Math.log(forest.sampleSize / (size[leaf] as number));
    if (!(shortfall > 0) || !(totalCut > 0)) continue;
    const perUnitCut = shortfall / totalCut;
    let node = roots[t] as number;
    while (node !== leaf) {
      const next = (child[node] as number) + +((row[feature[node] as number] as number) >= (threshold[node] as number));
      const f = feature[node] as number;
      contribution[f] = (contribution[f] as number) + perUnitCut * Math.log((size[node] as number) / (size[next] as number));
      node = next;
    }
  }
  let total = 0;
  for (let f = 0; f < dims; f++) total += contribution[f] as number;
  if (total > 0) for (let f = 0; f < dims; f++) contribution[f] = (contribution[f] as number) / total;
  return contribution;
}
