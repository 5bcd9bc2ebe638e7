import { ValidationError } from '../errors.js';
import { deserializeForest } from './forest/deserialize-forest.js';
import { explainRow } from './forest/explain-row.js';
import { fitForest } from './forest/fit-forest.js';
import type { FlatForest } from './forest/flat-forest.js';
import { ForestScorer, type ScoringEngine } from './forest/forest-scorer.js';
import { resolveForestOptions, type ForestOptions } from './forest/options.js';
import { serializeForest, type SerializedForest } from './forest/serialized-forest.js';
import { firstNonFinite, validateRows } from './forest/validate-rows.js';

export { defaultForestOptions, FOREST_LIMITS, type ForestOptions } from './forest/options.js';
export type { SerializedForest } from './forest/serialized-forest.js';
export type { ScoringEngine } from './forest/forest-scorer.js';

/**
 * Isolation Forest (Liu, Ting & Zhou, ICDM 2008) over row-major Float64Array data.
 *
 * fit: `trees` trees, each on ψ = min(sampleSize, rowCount) rows drawn without replacement, height
 * limit ⌈log₂ ψ⌉, splits on a random non-constant feature at a uniform point of its range in the node.
 * score: s(x) = 2^(−E[h(x)] / c(ψ)) in (0, 1]; higher = more anomalous, ≈ 0.5 or below for ordinary rows.
 * Deterministic: equal rows + options (incl. seed) → an identical forest and bit-identical scores.
 * Scoring runs a WebAssembly kernel (TypeScript fallback, same results) without per-row allocation.
 */
export class IsolationForest {
  readonly dims: number;
  readonly options: ForestOptions;
  /** ψ actually used per tree: min(options.sampleSize, training rows). */
  readonly sampleSize: number;
  private readonly forest: FlatForest;
  private readonly scorer: ForestScorer;
  /** Scratch for scoreOne / explain (the class is not re-entrant; JS is single-threaded). */
  private readonly oneRow: Float64Array;
  private readonly oneScore = new Float64Array(1);

  private constructor(forest: FlatForest, options: ForestOptions, engine: ScoringEngine = 'wasm') {
    this.forest = forest;
    this.options = Object.freeze({ ...options });
    this.dims = forest.dims;
    this.sampleSize = forest.sampleSize;
    this.scorer = new ForestScorer(forest, engine);
    this.oneRow = new Float64Array(forest.dims);
  }

  /** Fits a forest. Throws ValidationError on bad shapes, non-finite values, fewer than 2 rows or bad options. */
  static fit(rows: Float64Array, rowCount: number, dims: number, options?: Partial<ForestOptions>): IsolationForest {
    const resolved = resolveForestOptions(options);
    validateRows(rows, rowCount, dims, 2, 'fit');
    return new IsolationForest(fitForest(rows, rowCount, dims, resolved), resolved);
  }

  /** Rebuilds a forest from toJSON() output of unknown origin; throws ValidationError on anything malformed. */
  static fromJSON(json: unknown): IsolationForest {
    const { forest, options } = deserializeForest(json);
    return new IsolationForest(forest, options);
  }

  /** Which scoring engine runs here ('wasm' normally). */
  get engine(): ScoringEngine {
    return this.scorer.engine;
  }

  /** A copy of this forest that scores with the given engine (for tests and benchmarks). */
  withEngine(engine: ScoringEngine): IsolationForest {
    return new IsolationForest(this.forest, this.options, engine);
  }

  /**
   * Scores rowCount rows (row-major, dims values each); higher = more anomalous, in (0, 1].
   * `out`, if given, must have at least rowCount slots; the first rowCount are written and returned
   * (as `out` itself when its length is exactly rowCount, else a view of it).
   */
  score(rows: Float64Array, rowCount: number, out?: Float64Array): Float64Array {
    validateRows(rows, rowCount, this.dims, 0, 'score');
    let target: Float64Array;
    if (out === undefined) target = new Float64Array(rowCount);
    else if (!(out instanceof Float64Array) || out.length < rowCount) {
      throw new ValidationError(`score: out must be a Float64Array of at least ${rowCount} values`);
    } else target = out.length === rowCount ? out : out.subarray(0, rowCount);
    this.scorer.score(rows, rowCount, target);
    return target;
  }

  /** Score of one row of `dims` finite numbers (same value score() gives that row). */
  scoreOne(row: ArrayLike<number>): number {
    this.loadRow(row, 'scoreOne');
    this.scorer.score(this.oneRow, 1, this.oneScore);
    return this.oneScore[0] as number;
  }

  /**
   * Per-feature contribution (length dims, ≥ 0, summing to 1 unless all zero) to how much shorter
   * than average this row's isolation paths are: path-shortfall attribution, see forest/explain-row.ts.
   */
  explain(row: ArrayLike<number>): Float64Array {
    this.loadRow(row, 'explain');
    return explainRow(this.forest, this.oneRow);
  }

  /** Compact JSON-safe form (see SerializedForest); JSON.stringify(forest) uses it. */
  toJSON(): SerializedForest {
    return serializeForest(this.forest, this.options);
  }

  private loadRow(row: ArrayLike<number>, what: string): void {
    if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
      throw new ValidationError(`${what}: row must be an array of ${this.dims} numbers`);
    }
    if (row.length !== this.dims) throw new ValidationError(`${what}: row has ${row.length} values, expected dims = ${this.dims}`);
    for (let f = 0; f < this.dims; f++) {
      const v = row[f];
      if (typeof v !== 'number') throw new ValidationError(`${what}: feature ${f} is not a number`);
      this.oneRow[f] = v;
    }
    const bad = firstNonFinite(this.oneRow);
    if (bad >= 0) throw new ValidationError(`${what}: feature ${bad} is ${this.oneRow[bad]} (values must be finite numbers)`);
  }
}
