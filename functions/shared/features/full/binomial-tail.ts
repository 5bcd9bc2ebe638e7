/**
 * −log10 P(X ≥ k) for X ~ Binomial(n, p): how surprising k or more successes in n trials are.
 * Exact sum of the upper tail (n is a window size, at most a few dozen). 0 when k ≤ 0;
 * capped at 30 (p^n underflows long before that matters).
 */
export function binomialTailSurprise(k: number, n: number, p: number): number {
  if (k <= 0) return 0;
  if (k > n) return 30;
  const q = 1 - p;
  // P(X = k) via logs, then the terms k+1 … n by the ratio of consecutive terms.
  let logTerm = logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(q);
  let tail = 0;
  for (let i = k; i <= n; i++) {
    tail += Math.exp(logTerm);
    logTerm += Math.log((n - i) / (i + 1)) + Math.log(p) - Math.log(q);
  }
  if (!(tail > 0)) return 30;
  return Math.min(30, -Math.log10(Math.min(1, tail)));
}

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
  return sum;
}
