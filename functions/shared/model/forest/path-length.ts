/** Euler–Mascheroni constant γ, used in the harmonic-number approximation H(i) ≈ ln(i) + γ. */
export const EULER_GAMMA = 0.5772156649;

/**
 * c(n): the average path length of an unsuccessful search in a binary search tree of n items
 * (Liu, Ting & Zhou 2008, eq. 1): c(n) = 2H(n−1) − 2(n−1)/n, with c(0) = c(1) = 0 and c(2) = 1.
 * It is both the normaliser of the anomaly score (n = ψ) and the term added at an external node
 * that still holds n > 1 training rows (the unbuilt subtree's expected depth). Unit: tree edges.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  return 2 * (Math.log(n - 1) + EULER_GAMMA) - (2 * (n - 1)) / n;
}

/** Height limit of a tree grown on ψ rows: ⌈log₂ ψ⌉ (the average height of a random tree). */
export function heightLimit(sampleSize: number): number {
  let height = 0;
  while (2 ** height < sampleSize) height += 1; // exact for every integer, unlike Math.log2
  return height;
}
