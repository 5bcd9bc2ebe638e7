import type { FlatForest } from './flat-forest.js';
import { pathSumsToScores, referencePathSums } from './score-rows.js';
import { WasmForestScorer } from './wasm/wasm-scorer.js';

export type ScoringEngine = 'wasm' | 'reference';

/**
 * Scores validated rows with the WebAssembly kernel when it can run here, else with the TypeScript
 * reference; both give bit-identical results, so the choice only affects speed.
 */
export class ForestScorer {
  private wasm: WasmForestScorer | null | undefined;

  constructor(
    private readonly forest: FlatForest,
    private readonly preferred: ScoringEngine = 'wasm',
  ) {}

  get engine(): ScoringEngine {
    return this.wasmScorer() === null ? 'reference' : 'wasm';
  }

  /** out[r] = anomaly score of row r, for r in [0, rowCount). */
  score(rows: Float64Array, rowCount: number, out: Float64Array): void {
    const wasm = this.wasmScorer();
    if (wasm === null) referencePathSums(this.forest, rows, rowCount, out);
    else wasm.pathSums(rows, rowCount, out);
    pathSumsToScores(this.forest, out, rowCount);
  }

  private wasmScorer(): WasmForestScorer | null {
    if (this.wasm === undefined) this.wasm = this.preferred === 'wasm' ? WasmForestScorer.create(this.forest) : null;
    return this.wasm;
  }
}
