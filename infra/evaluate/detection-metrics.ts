import type { Labels } from './labels.js';

/** How well flags match labels, over every line. Ratios are 0 when undefined (no flags, no anomalies). */
export interface DetectionMetrics {
  readonly n: number;
  readonly anomalies: number;
  readonly flagged: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** Area under the precision–recall curve of the scores (average precision), threshold-free. */
  readonly prAuc: number;
  readonly flaggedRate: number;
  /** Recall per anomaly kind, where the labels name kinds. */
  readonly recallByKind?: Readonly<Record<string, number>>;
}

export function detectionMetrics(scores: Float64Array, flags: Uint8Array, labels: Labels): DetectionMetrics {
  const n = scores.length;
  let anomalies = 0;
  let flagged = 0;
  let truePositives = 0;
  const kindTotals = new Map<string, { found: number; total: number }>();
  for (let i = 0; i < n; i++) {
    const anomalous = labels.anomalous[i] === true;
    const flag = flags[i] === 1;
    if (anomalous) anomalies++;
    if (flag) flagged++;
    if (anomalous && flag) truePositives++;
    const kind = labels.kinds[i];
    if (kind !== null && kind !== undefined) {
      const entry = kindTotals.get(kind) ?? { found: 0, total: 0 };
      entry.total++;
      if (flag) entry.found++;
      kindTotals.set(kind, entry);
    }
  }
  const precision = flagged === 0 ? 0 : truePositives / flagged;
  const recall = anomalies === 0 ? 0 : truePositives / anomalies;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const metrics: DetectionMetrics = { n, anomalies, flagged, precision, recall, f1, prAuc: averagePrecision(scores, labels.anomalous), flaggedRate: n === 0 ? 0 : flagged / n };
  if (kindTotals.size === 0) return metrics;
  const recallByKind = Object.fromEntries([...kindTotals].sort(([a], [b]) => a.localeCompare(b)).map(([kind, { found, total }]) => [kind, found / total]));
  return { ...metrics, recallByKind };
}

/** Average precision: mean of the precision at each anomaly's rank, scores descending (ties share a rank group). */
export function averagePrecision(scores: Float64Array, anomalous: readonly boolean[]): number {
  const total = anomalous.filter(Boolean).length;
  if (total === 0) return 0;
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  let seen = 0;
  let found = 0;
  let sum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    let groupFound = 0;
    while (end < order.length && scores[order[end] as number] === scores[order[start] as number]) {
      if (anomalous[order[end] as number]) groupFound++;
      end++;
    }
    seen += end - start;
    found += groupFound;
    sum += groupFound * (found / seen);
    start = end;
  }
  return sum / total;
}
