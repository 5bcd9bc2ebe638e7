import type { FlatForest } from '../flat-forest.js';
import { LANES, scoreKernelModuleBytes, type ScoreKernel } from './score-kernel.js';

const PAGE_BYTES = 65536;
/**
 * Bytes of one block of rows copied into wasm memory; it stays in L1/L2 while every tree walks it
 * (16–128 KiB measured alike here; larger blocks mean fewer calls into the kernel).
 */
const BLOCK_BYTES = 64 * 1024;
const NODE_BYTES = 16;

/** The slice of the WebAssembly JS API used here (the project's TypeScript lib has no DOM types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
}

let compiled: { api: WasmApi; module: object } | null | undefined;

/** The kernel module, compiled once per process; null where WebAssembly is unavailable or fails. */
function kernelModule(): { api: WasmApi; module: object } | null {
  if (compiled === undefined) {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    try {
      compiled = api === undefined ? null : { api, module: new api.Module(scoreKernelModuleBytes()) };
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/**
 * One forest laid out in its own WebAssembly memory (see score-kernel.ts for the layout), plus a
 * block of row and accumulator slots. `pathSums` computes Σ_t h_t(x) per row exactly as the
 * TypeScript reference in score-rows.ts does (same trees, same order, same IEEE-754 additions), so
 * the two engines agree bit for bit.
 */
export class WasmForestScorer {
  private readonly f64: Float64Array;
  private readonly rowsAt: number;
  private readonly outAt: number;
  private readonly treesAt: number;
  private readonly pathAt: number;
  private readonly blockRows: number;

  private constructor(
    private readonly forest: FlatForest,
    private readonly kernel: ScoreKernel,
    memory: { buffer: ArrayBuffer },
    layout: { pathAt: number; treesAt: number; rowsAt: number; outAt: number; blockRows: number },
  ) {
    this.f64 = new Float64Array(memory.buffer);
    this.pathAt = layout.pathAt;
    this.treesAt = layout.treesAt;
    this.rowsAt = layout.rowsAt;
    this.outAt = layout.outAt;
    this.blockRows = layout.blockRows;
    writeForest(forest, memory.buffer, layout);
  }

  /** A scorer for `forest`, or null if WebAssembly cannot be used here (callers fall back to TypeScript). */
  static create(forest: FlatForest): WasmForestScorer | null {
    const kernelCode = kernelModule();
    if (kernelCode === null) return null;
    const { api, module } = kernelCode;
    const rowBytes = forest.dims * 8;
    const blockRows = LANES * Math.max(1, Math.floor(BLOCK_BYTES / rowBytes / LANES));
    const pathAt = forest.nodeCount * NODE_BYTES;
    const treesAt = pathAt + forest.nodeCount * 8;
    const rowsAt = treesAt + forest.treeCount * 8;
    const outAt = rowsAt + blockRows * rowBytes;
    const totalBytes = outAt + blockRows * 8;
    if (totalBytes > 2 ** 31) return null; // i32 addresses in the kernel stay positive
    try {
      const memory = new api.Memory({ initial: Math.ceil(totalBytes / PAGE_BYTES) });
      const instance = new api.Instance(module, { env: { memory } });
      const kernel = instance.exports['score'] as ScoreKernel;
      return new WasmForestScorer(forest, kernel, memory, { pathAt, treesAt, rowsAt, outAt, blockRows });
    } catch {
      return null;
    }
  }

  /** sums[r] = Σ_t h_t(row r) for r in [0, rowCount); rows are validated, row-major. */
  pathSums(rows: Float64Array, rowCount: number, sums: Float64Array): void {
    const { dims, treeCount } = this.forest;
    const f64 = this.f64;
    const rowsSlot = this.rowsAt / 8;
    const outSlot = this.outAt / 8;
    for (let start = 0; start < rowCount; start += this.blockRows) {
      const n = Math.min(this.blockRows, rowCount - start);
      const padded = Math.ceil(n / LANES) * LANES;
      f64.set(rows.subarray(start * dims, (start + n) * dims), rowsSlot);
      for (let r = n; r < padded; r++) f64.copyWithin(rowsSlot + r * dims, rowsSlot + (n - 1) * dims, rowsSlot + n * dims);
      f64.fill(0, outSlot, outSlot + padded);
      this.kernel(this.treesAt, treeCount, this.rowsAt, padded, dims * 8, this.outAt, this.pathAt);
      sums.set(f64.subarray(outSlot, outSlot + n), start);
    }
  }
}

function writeForest(forest: FlatForest, buffer: ArrayBuffer, layout: { pathAt: number; treesAt: number }): void {
  const i32 = new Int32Array(buffer);
  const f64 = new Float64Array(buffer);
  for (let i = 0; i < forest.nodeCount; i++) {
    i32[4 * i] = (forest.child[i] as number) * NODE_BYTES;
    i32[4 * i + 1] = (forest.feature[i] as number) * 8;
    f64[2 * i + 1] = forest.threshold[i] as number;
  }
  f64.set(forest.pathValue, layout.pathAt / 8);
  const treeSlot = layout.treesAt / 4;
  for (let t = 0; t < forest.treeCount; t++) {
    i32[treeSlot + 2 * t] = (forest.roots[t] as number) * NODE_BYTES;
    i32[treeSlot + 2 * t + 1] = forest.heights[t] as number;
  }
}
