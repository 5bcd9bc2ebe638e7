import { EMPTY_BLOCK, encodeModule, memarg, Op, sleb, ValType } from './wasm-encoding.js';

/**
 * The scoring kernel, as WebAssembly: for every tree, every row of a block walks the tree a fixed
 * number of steps and adds the leaf's path value to its slot in `out`.
 *
 * Linear-memory layout (byte addresses; see wasm-scorer.ts, which lays it out):
 * - node i at 16·i: child address (i32, +0), feature byte offset 8·f (i32, +4), threshold (f64, +8).
 *   A row goes to `child + 16` when row[f] ≥ threshold, else to `child`; a leaf points at itself with
 *   threshold NaN (no f64 is ≥ NaN), so extra steps keep a row in its leaf.
 * - path values (f64) at pathBase + 8·i, i.e. pathBase + (node address >> 1).
 * - tree table: per tree, root address (i32) and step count = tree height (i32).
 * - rows: rowCount rows of `stride` bytes; out: rowCount f64 accumulators. rowCount must be a
 *   multiple of LANES (the caller pads a block by repeating its last row).
 *
 * LANES rows walk a tree side by side so their dependent load chains overlap in the CPU; there is no
 * data-dependent branch (the comparison result is shifted into the child address).
 *
 * export function score(trees, treeCount, rows, rowCount, stride, out, pathBase): void
 */
const P = { trees: 0, treeCount: 1, rows: 2, rowCount: 3, stride: 4, out: 5, pathBase: 6 } as const;
const L = { root: 7, steps: 8, left: 9, s: 10, o: 11 } as const;
/**
 * Rows walked side by side (8 measured fastest: fewer leave load latency idle, more run out of
 * registers). Locals row(k) and node(k) hold lane k's row address and current node address.
 */
export const LANES = 8;
const row = (k: number): number => 12 + k;
const node = (k: number): number => 12 + LANES + k;
const PARAM_TYPES = Array<number>(7).fill(ValType.i32);
const LOCAL_TYPES = Array<number>(5 + 2 * LANES).fill(ValType.i32);

const get = (i: number): number[] => [Op.localGet, i];
const set = (i: number): number[] => [Op.localSet, i];
const i32 = (v: number): number[] => [Op.i32Const, ...sleb(v)];
const addTo = (local: number, amount: number[]): number[] => [...get(local), ...amount, Op.i32Add, ...set(local)];
const lanes = (count: number, code: (k: number) => number[]): number[] => Array.from({ length: count }, (_, k) => code(k)).flat();

/** node(k) ← child(node) + 16·(row[feature(node)] ≥ threshold(node)) */
function step(k: number): number[] {
  const n = node(k);
  return [
    ...get(n), Op.i32Load, ...memarg(2, 0),
    ...get(row(k)), ...get(n), Op.i32Load, ...memarg(2, 4), Op.i32Add, Op.f64Load, ...memarg(3, 0),
    ...get(n), Op.f64Load, ...memarg(3, 8),
    Op.f64Ge, ...i32(4), Op.i32Shl, Op.i32Add, ...set(n),
  ];
}

/** out[o + 8k] += pathValue(node(k)) */
function accumulate(k: number): number[] {
  return [
    ...get(L.o),
    ...get(L.o), Op.f64Load, ...memarg(3, 8 * k),
    ...get(P.pathBase), ...get(node(k)), ...i32(1), Op.i32ShrU, Op.i32Add, Op.f64Load, ...memarg(3, 0),
    Op.f64Add, Op.f64Store, ...memarg(3, 8 * k),
  ];
}

/** Repeat `steps` times: body. (block/loop with the counter in local s.) */
function walk(body: number[]): number[] {
  return [
    ...get(L.steps), ...set(L.s),
    Op.block, EMPTY_BLOCK, Op.loop, EMPTY_BLOCK,
    ...get(L.s), Op.i32Eqz, Op.brIf, 1,
    ...body,
    ...addTo(L.s, i32(-1)),
    Op.br, 0, Op.end, Op.end,
  ];
}

/** While `condition` leaves a non-zero i32 on the stack: body. */
function whileLoop(condition: number[], body: number[]): number[] {
  return [Op.block, EMPTY_BLOCK, Op.loop, EMPTY_BLOCK, ...condition, Op.i32Eqz, Op.brIf, 1, ...body, Op.br, 0, Op.end, Op.end];
}

/** Walks `count` consecutive rows (starting at row(0)) through the tree; advances row(0), o and left. */
function rowGroup(count: number): number[] {
  return [
    ...lanes(count - 1, (k) => [...get(row(k)), ...get(P.stride), Op.i32Add, ...set(row(k + 1))]),
    ...lanes(count, (k) => [...get(L.root), ...set(node(k))]),
    ...walk(lanes(count, step)),
    ...lanes(count, accumulate),
    ...addTo(L.o, i32(8 * count)),
    ...get(row(count - 1)), ...get(P.stride), Op.i32Add, ...set(row(0)),
    ...addTo(L.left, i32(-count)),
  ];
}

const oneTree = [
  ...get(P.trees), Op.i32Load, ...memarg(2, 0), ...set(L.root),
  ...get(P.trees), Op.i32Load, ...memarg(2, 4), ...set(L.steps),
  ...get(P.rowCount), ...set(L.left), ...get(P.rows), ...set(row(0)), ...get(P.out), ...set(L.o),
  ...whileLoop(get(L.left), rowGroup(LANES)),
  ...addTo(P.trees, i32(8)),
  ...addTo(P.treeCount, i32(-1)),
];

/** The kernel module's bytes (imports env.memory). */
export function scoreKernelModuleBytes(): Uint8Array {
  return encodeModule(
    { exportName: 'score', params: PARAM_TYPES, locals: LOCAL_TYPES, body: whileLoop(get(P.treeCount), oneTree) },
    1,
  );
}

export type ScoreKernel = (trees: number, treeCount: number, rows: number, rowCount: number, stride: number, out: number, pathBase: number) => void;
