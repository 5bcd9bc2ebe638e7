import { SeededRandom } from '../../../../functions/shared/model/forest/prng.js';

/** `rowCount` rows of a standard Gaussian cluster around `centre` (seeded), row-major. */
export function gaussianRows(rowCount: number, dims: number, seed: number, centre = 0): Float64Array {
  const random = new SeededRandom(seed);
  const rows = new Float64Array(rowCount * dims);
  for (let i = 0; i < rows.length; i++) {
    const u = 1 - random.nextFloat();
    rows[i] = centre + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextFloat());
  }
  return rows;
}

/** `rowCount` rows uniform in [0, 1)^dims (seeded): the bushiest trees, hence the largest artifacts. */
export function uniformRows(rowCount: number, dims: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  return Float64Array.from({ length: rowCount * dims }, () => random.nextFloat());
}

/** Row r of a row-major matrix, as a copy. */
export function rowOf(rows: Float64Array, dims: number, r: number): Float64Array {
  return rows.slice(r * dims, (r + 1) * dims);
}
