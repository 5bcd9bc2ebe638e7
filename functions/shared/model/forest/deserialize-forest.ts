import { ValidationError } from '../../errors.js';
import { MAX_FOREST_NODES, NodeBuffer, type FlatForest } from './flat-forest.js';
import { FOREST_LIMITS, requireIntegerIn, resolveForestOptions, type ForestOptions } from './options.js';
import { heightLimit } from './path-length.js';
import { SERIALIZED_FORMAT, SERIALIZED_VERSION } from './serialized-forest.js';

const KEYS = ['format', 'version', 'dims', 'options', 'sampleSize', 'nodes', 'thresholds'] as const;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const fail = (message: string): never => {
  throw new ValidationError(`isolation forest artifact: ${message}`);
};

/**
 * Parses and checks a SerializedForest (see serialized-forest.ts) of unknown origin. Rejects, with a
 * ValidationError naming the problem: a non-object, missing/unknown keys, wrong format or version,
 * dims/options/sampleSize out of range, more nodes than trees × (2ψ − 1), malformed base64, non-finite
 * thresholds, feature indices ≥ dims, leaves outside [1, ψ], a tree deeper than ⌈log₂ ψ⌉, a tree whose
 * leaf sizes do not sum to ψ, and truncated or trailing nodes or thresholds.
 */
export function deserializeForest(json: unknown): { forest: FlatForest; options: ForestOptions } {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected a JSON object');
  const record = json as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!(KEYS as readonly string[]).includes(key)) fail(`unknown key "${key}"`);
  for (const key of KEYS) if (record[key] === undefined) fail(`missing "${key}"`);
  if (record['format'] !== SERIALIZED_FORMAT) fail(`format must be "${SERIALIZED_FORMAT}"`);
  if (record['version'] !== SERIALIZED_VERSION) fail(`unsupported version ${String(record['version'])} (expected ${SERIALIZED_VERSION})`);
  const { dims, options, sampleSize } = checkHeader(record);
  const nodes = record['nodes'];
  if (!Array.isArray(nodes)) return fail('nodes must be an array');
  const maxNodes = Math.min(MAX_FOREST_NODES, options.trees * (2 * sampleSize - 1));
  if (nodes.length > maxNodes) fail(`${nodes.length} nodes exceed the maximum ${maxNodes} for ${options.trees} trees of ψ ${sampleSize}`);
  const thresholds = decodeThresholds(record['thresholds'], nodes.length);
  const forest = decodeTrees(nodes, thresholds, dims, sampleSize, options.trees);
  return { forest, options };
}

function checkHeader(record: Record<string, unknown>): { dims: number; options: ForestOptions; sampleSize: number } {
  const dims = record['dims'];
  const sampleSize = record['sampleSize'];
  requireIntegerIn('artifact dims', dims, 1, FOREST_LIMITS.maxDims);
  const rawOptions = record['options'];
  if (typeof rawOptions !== 'object' || rawOptions === null) return fail('options must be an object');
  for (const key of ['trees', 'sampleSize', 'seed']) {
    if ((rawOptions as Record<string, unknown>)[key] === undefined) fail(`options.${key} is missing`);
  }
  const options = resolveForestOptions(rawOptions);
  requireIntegerIn('artifact sampleSize', sampleSize, FOREST_LIMITS.minSampleSize, options.sampleSize);
  return { dims, options, sampleSize };
}

function decodeThresholds(value: unknown, nodeCount: number): Float64Array {
  if (typeof value !== 'string') return fail('thresholds must be a base64 string');
  const maxChars = Math.ceil((nodeCount * 8) / 3) * 4;
  if (value.length > maxChars) fail(`thresholds (${value.length} chars) too long for ${nodeCount} nodes`);
  if (value.length % 4 !== 0 || !BASE64.test(value)) fail('thresholds is not valid base64');
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length % 8 !== 0) fail(`thresholds decode to ${bytes.length} bytes, not a whole number of float64`);
  const out = new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) {
    const v = bytes.readDoubleLE(i * 8);
    if (!Number.isFinite(v)) fail(`threshold ${i} is ${v} (must be finite)`);
    out[i] = v;
  }
  return out;
}

/** Rebuilds the flat layout in the same node order fit uses (pairs allocated as splits are read). */
function decodeTrees(codes: unknown[], thresholds: Float64Array, dims: number, psi: number, treeCount: number): FlatForest {
  const limit = heightLimit(psi);
  const buffer = new NodeBuffer(codes.length);
  const roots = new Int32Array(treeCount);
  const heights = new Int32Array(treeCount);
  const stack: number[] = []; // pairs (node, depth)
  let next = 0;
  let nextThreshold = 0;
  for (let t = 0; t < treeCount; t++) {
    const root = buffer.allocate(1);
    if (root === null) return fail('too many nodes');
    const first = root;
    roots[t] = root;
    let leafRows = 0;
    let height = 0;
    stack.push(root, 0);
    while (stack.length > 0) {
      const depth = stack.pop() as number;
      const node = stack.pop() as number;
      if (next >= codes.length) fail(`nodes end inside tree ${t}`);
      const code = codes[next++];
      if (typeof code !== 'number' || !Number.isInteger(code)) fail(`node ${next - 1} is not an integer`);
      const c = code as number;
      if (c < 0) {
        if (-c > psi) fail(`leaf at node ${next - 1} holds ${-c} rows, more than ψ ${psi}`);
        buffer.setLeaf(node, depth, -c);
        leafRows += -c;
        height = Math.max(height, depth);
        continue;
      }
      if (c >= dims) fail(`node ${next - 1} splits on feature ${c}, but dims is ${dims}`);
      if (depth >= limit) fail(`tree ${t} splits at depth ${depth}, beyond the height limit ${limit} for ψ ${psi}`);
      if (nextThreshold >= thresholds.length) fail(`thresholds end at split ${nextThreshold}`);
      const pair = buffer.allocate(2);
      if (pair === null) return fail('too many nodes');
      buffer.setSplit(node, c, thresholds[nextThreshold++] as number, pair, 0);
      stack.push(pair + 1, depth + 1, pair, depth + 1);
    }
    if (leafRows !== psi) fail(`tree ${t}'s leaves hold ${leafRows} rows, expected ψ = ${psi}`);
    for (let n = buffer.count - 1; n >= first; n--) {
      const c = buffer.child[n] as number;
      if (c !== n) buffer.size[n] = (buffer.size[c] as number) + (buffer.size[c + 1] as number);
    }
    heights[t] = height;
  }
  if (next !== codes.length) fail(`${codes.length - next} nodes left over after ${treeCount} trees`);
  if (nextThreshold !== thresholds.length) fail(`${thresholds.length - nextThreshold} thresholds left over`);
  return buffer.finish(dims, psi, roots, heights);
}
