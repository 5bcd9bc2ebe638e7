/** Ranks 1..n of `values` (ties get the mean of their ranks). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1] as number] === values[order[i] as number]) j++;
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[order[k] as number] = meanRank;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation ρ of two equal-length samples: Pearson correlation of their ranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) throw new RangeError('spearman needs two samples of equal length ≥ 2');
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const da = (ra[i] as number) - mean;
    const db = (rb[i] as number) - mean;
    cov += da * db;
    va += da * da;
    vb += db * db;
  }
  return cov / Math.sqrt(va * vb);
}

/** Fraction of the k highest-scoring indices of `a` that are also among the k highest of `b`. */
export function topKOverlap(a: ArrayLike<number>, b: ArrayLike<number>, k: number): number {
  const top = (values: ArrayLike<number>): Set<number> =>
    new Set(Array.from({ length: values.length }, (_, i) => i).sort((x, y) => (values[y] as number) - (values[x] as number)).slice(0, k));
  const inA = top(a);
  let shared = 0;
  for (const i of top(b)) if (inA.has(i)) shared++;
  return shared / k;
}
