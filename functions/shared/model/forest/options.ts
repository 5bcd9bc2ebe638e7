import { ValidationError } from '../../errors.js';

export interface ForestOptions {
  /** Number of isolation trees t. Integer in [1, 10,000]. */
  trees: number;
  /** Sub-sample size ψ per tree (rows drawn without replacement; all rows if fewer). Integer in [2, 1,000,000]. */
  sampleSize: number;
  /** PRNG seed: any safe integer. Same rows + options + seed → the same forest. */
  seed: number;
}

export const defaultForestOptions: ForestOptions = Object.freeze({ trees: 100, sampleSize: 256, seed: 42 });

export const FOREST_LIMITS = Object.freeze({
  minTrees: 1,
  maxTrees: 10_000,
  minSampleSize: 2,
  maxSampleSize: 1_000_000,
  maxDims: 4096,
});

const OPTION_KEYS: ReadonlySet<string> = new Set(['trees', 'sampleSize', 'seed']);

/** Merges `options` over the defaults and checks every value; throws ValidationError naming the bad one. */
export function resolveForestOptions(options: unknown): ForestOptions {
  if (options === undefined) return { ...defaultForestOptions };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValidationError('forest options must be an object');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new ValidationError(`unknown forest option "${key}" (expected trees, sampleSize, seed)`);
  }
  const given = options as Partial<Record<keyof ForestOptions, unknown>>;
  const pick = (key: keyof ForestOptions): unknown => (given[key] === undefined ? defaultForestOptions[key] : given[key]);
  const trees = pick('trees');
  const sampleSize = pick('sampleSize');
  const seed = pick('seed');
  requireIntegerIn('trees', trees, FOREST_LIMITS.minTrees, FOREST_LIMITS.maxTrees);
  requireIntegerIn('sampleSize', sampleSize, FOREST_LIMITS.minSampleSize, FOREST_LIMITS.maxSampleSize);
  requireIntegerIn('seed', seed, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
  return { trees, sampleSize, seed };
}

export function requireIntegerIn(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${name} must be an integer in [${min}, ${max}], got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
