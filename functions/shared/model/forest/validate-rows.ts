import { ValidationError } from '../../errors.js';
import { FOREST_LIMITS, requireIntegerIn } from './options.js';

/**
 * Checks a row-major matrix argument: `rows` is a Float64Array of exactly rowCount × dims values,
 * every one finite. `minRows` is 2 for fitting (ψ ≥ 2) and 0 for scoring (an empty batch is fine).
 */
export function validateRows(rows: unknown, rowCount: unknown, dims: unknown, minRows: number, what: string): void {
  requireIntegerIn(`${what}: dims`, dims, 1, FOREST_LIMITS.maxDims);
  requireIntegerIn(`${what}: rowCount`, rowCount, minRows, Math.floor(0x7fffffff / dims));
  if (!(rows instanceof Float64Array)) throw new ValidationError(`${what}: rows must be a Float64Array`);
  if (rows.length !== rowCount * dims) {
    throw new ValidationError(`${what}: rows has ${rows.length} values, expected rowCount × dims = ${rowCount} × ${dims} = ${rowCount * dims}`);
  }
  const bad = firstNonFinite(rows);
  if (bad >= 0) {
    throw new ValidationError(`${what}: row ${Math.floor(bad / dims)}, feature ${bad % dims} is ${rows[bad]} (values must be finite numbers)`);
  }
}

/** Index of the first NaN/±Infinity value, or -1. One cheap pass: v − v is 0 only for finite v. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0) return i;
  }
  return -1;
}
