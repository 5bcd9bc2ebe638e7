import { SeededRandom } from '../../../functions/shared/model/forest/prng.js';

export interface MixedDataset {
  readonly rows: Float64Array;
  readonly rowCount: number;
  readonly dims: number;
  /** 1 where the row was drawn as an outlier, else 0. */
  readonly isOutlier: Uint8Array;
}

/**
 * A seeded, log-feature-like mixed dataset: three Gaussian clusters with different centres and
 * per-feature scales (the inliers), plus `outlierFraction` of rows drawn uniformly from a box about
 * five times wider than the clusters' span. Rows are in random order.
 */
export function makeMixedDataset(rowCount: number, dims: number, outlierFraction: number, seed: number): MixedDataset {
  const random = new SeededRandom(seed);
  const gaussian = (): number => {
    const u = 1 - random.nextFloat(); // (0, 1]: log stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextFloat());
  };
  const clusters = [0, 1, 2].map(() => ({
    centre: Array.from({ length: dims }, () => (random.nextFloat() - 0.5) * 20),
    scale: Array.from({ length: dims }, () => 0.5 + random.nextFloat() * 2),
  }));
  const rows = new Float64Array(rowCount * dims);
  const isOutlier = new Uint8Array(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const outlier = random.nextFloat() < outlierFraction;
    isOutlier[r] = outlier ? 1 : 0;
    const cluster = clusters[random.nextInt(clusters.length)] as (typeof clusters)[number];
    for (let f = 0; f < dims; f++) {
      rows[r * dims + f] = outlier
        ? (random.nextFloat() - 0.5) * 100
        : (cluster.centre[f] as number) + gaussian() * (cluster.scale[f] as number);
    }
  }
  return { rows, rowCount, dims, isOutlier };
}
