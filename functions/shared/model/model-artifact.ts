import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ModelSchemaError, ValidationError } from '../errors.js';
import { FEATURE_SCHEMA_VERSION, FEATURE_SET_NAMES, featureNames, featureSetNamed, type FeatureExtractor, type FeatureSet } from '../features/index.js';
import { THRESHOLD_RULES } from './threshold-rule.js';
import { IsolationForest } from './isolation-forest.js';

/**
 * The stored form of a model version (layout under the store's prefix, default `models/`):
 *
 *   <prefix><version>/model.json     the serialized forest (IsolationForest.toJSON), UTF-8 JSON
 *   <prefix><version>/feature-state.json  the feature set's learned state (template miner, counts,
 *                                    windows), for stateful sets only; size and sha256 in the manifest
 *   <prefix><version>/manifest.json  ModelManifest: what the model is, how it was trained, sha256 of model.json
 *   <prefix>latest                   ModelPointer `{ "version": … }`: the version readers should use
 *
 * Invariants: a version's objects are written once and never overwritten; the pointer is written
 * after both, so a reader that follows it always finds a complete version. Version ids sort by the
 * time they were trained (`YYYYMMDDTHHMMSSZ-<6 hex>`, UTC, second resolution + random suffix).
 * Everything read back is checked: size caps, sha256, zod schemas, and the feature schema.
 */

/** Largest model.json accepted, in bytes (8 MiB; a 100-tree forest on 256-row samples is ~0.1–0.5 MiB). */
export const MAX_MODEL_ARTIFACT_BYTES = 8 * 1024 * 1024;
/** Largest feature-state.json accepted, in bytes (32 MiB; 5,000 templates and 50,000 words are ~3 MiB). */
export const MAX_FEATURE_STATE_BYTES = 32 * 1024 * 1024;
/** Largest manifest.json accepted, in bytes (64 KiB). */
export const MAX_MANIFEST_BYTES = 64 * 1024;
/** Largest `latest` pointer accepted, in bytes (1 KiB). */
export const MAX_POINTER_BYTES = 1024;

export const MODEL_VERSION_PATTERN = /^\d{8}T\d{6}Z-[0-9a-f]{6}$/;

/** A new version id for a model trained at `now`, e.g. `20261124T031500Z-3fa9c2`. */
export function newModelVersion(now: Date, suffix: string = randomBytes(3).toString('hex')): string {
  if (!Number.isFinite(now.getTime())) throw new ValidationError('model version needs a valid date');
  if (!/^[0-9a-f]{6}$/.test(suffix)) throw new ValidationError('model version suffix must be 6 lowercase hex digits');
  const compact = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `${compact}-${suffix}`;
}

const modelVersionSchema = z.string().regex(MODEL_VERSION_PATTERN, 'must look like 20261124T031500Z-3fa9c2');
const isoTimestamp = z.iso.datetime();
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const scoreStatsSchema = z.object({
  count: count,
  mean: z.number(),
  std: z.number().min(0),
  min: z.number(),
  p50: z.number(),
  p90: z.number(),
  p99: z.number(),
  max: z.number(),
});

export const modelManifestSchema = z.object({
  version: modelVersionSchema,
  /** Which feature set extracts the model's inputs; absent in models of the seed system (= seed). */
  featureSet: z.enum(FEATURE_SET_NAMES).optional(),
  featureSchemaVersion: z.string().min(1).max(200),
  featureNames: z.array(z.string().min(1).max(200)).min(1).max(4096),
  forestOptions: z.object({
    trees: z.number().int().min(1),
    sampleSize: z.number().int().min(2),
    seed: z.number().int(),
  }),
  /** Expected share of anomalies the threshold was set for, in (0, 0.5]. */
  contamination: z.number().gt(0).max(0.5),
  /** How `threshold` was set (threshold-rule.ts); absent = contamination. */
  thresholdRule: z.enum(THRESHOLD_RULES).optional(),
  /** Scores strictly above this are anomalies. */
  threshold: z.number(),
  trainedAt: isoTimestamp,
  trainingWindow: z.object({ rows: z.number().int().min(2), fromTs: isoTimestamp, toTs: isoTimestamp }),
  /** Distribution of the training rows' own scores (used by the drift test). */
  scoreStats: scoreStatsSchema,
  /** Size of model.json, in bytes. */
  artifactBytes: z.number().int().min(1).max(MAX_MODEL_ARTIFACT_BYTES),
  /** Lowercase hex SHA-256 of model.json's bytes. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  /** feature-state.json's size and SHA-256; absent for stateless feature sets. */
  featureState: z
    .object({ bytes: z.number().int().min(1).max(MAX_FEATURE_STATE_BYTES), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits') })
    .optional(),
});

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ScoreStats = z.infer<typeof scoreStatsSchema>;

export const modelPointerSchema = z.object({ version: modelVersionSchema });
export type ModelPointer = z.infer<typeof modelPointerSchema>;

/** A manifest before its artifact exists: everything but the artifacts' sizes and checksums. */
export type ModelDescription = Omit<ModelManifest, 'artifactBytes' | 'sha256' | 'featureState'>;

/** A freshly trained model, not yet stored. */
export interface TrainedModel extends ModelDescription {
  readonly forest: IsolationForest;
  /** The feature extractor fitted with the forest (its state is stored with the model). */
  readonly features: FeatureExtractor;
}

/**
 * A model read back from a store (or adopted right after publishing): checked and ready to score.
 * `features` is this container's extractor: it starts from the stored state and keeps learning.
 */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  readonly forest: IsolationForest;
  readonly features: FeatureExtractor;
}

/** The feature set a manifest names (seed when it names none). */
export function featureSetOf(manifest: Pick<ModelManifest, 'featureSet'>): FeatureSet {
  return featureSetNamed(manifest.featureSet ?? 'seed');
}

/** The schema a feature set's models must match. */
export function featureSchemaOf(set: FeatureSet): FeatureSchema {
  return Object.freeze({ version: set.schemaVersion, names: set.names });
}

/** The features a model must have been trained on to be usable by this code. */
export interface FeatureSchema {
  readonly version: string;
  readonly names: readonly string[];
}

/** What this build's feature extraction produces. */
export const codeFeatureSchema: FeatureSchema = Object.freeze({ version: FEATURE_SCHEMA_VERSION, names: featureNames });

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Serializes the forest (and the feature state) and seals the manifest with their sizes and checksums. */
export function encodeModelArtifact(model: TrainedModel): { readonly artifact: Uint8Array; readonly featureState: Uint8Array | null; readonly manifest: ModelManifest } {
  const { forest, features, ...description } = model;
  const artifact = Buffer.from(JSON.stringify(forest.toJSON()), 'utf8');
  if (artifact.byteLength > MAX_MODEL_ARTIFACT_BYTES) {
    throw new ValidationError(`model ${model.version} serializes to ${artifact.byteLength} bytes, over the ${MAX_MODEL_ARTIFACT_BYTES}-byte cap; use fewer trees or a smaller sample size`);
  }
  const state = features.snapshot();
  const featureState = state === null || state === undefined ? null : Buffer.from(JSON.stringify(state), 'utf8');
  if (featureState !== null && featureState.byteLength > MAX_FEATURE_STATE_BYTES) {
    throw new ValidationError(`model ${model.version} has a ${featureState.byteLength}-byte feature state, over the ${MAX_FEATURE_STATE_BYTES}-byte cap`);
  }
  const manifest = parseWith(
    modelManifestSchema,
    {
      ...description,
      artifactBytes: artifact.byteLength,
      sha256: sha256Hex(artifact),
      ...(featureState === null ? {} : { featureState: { bytes: featureState.byteLength, sha256: sha256Hex(featureState) } }),
    },
    `manifest of model ${model.version}`,
  );
  return { artifact, featureState, manifest };
}

/**
 * Checks feature-state.json's bytes against the manifest and rebuilds the extractor (a stateless
 * set needs no bytes: pass null). ValidationError for a missing, truncated, replaced or malformed state.
 */
export function decodeFeatureState(manifest: ModelManifest, bytes: Uint8Array | null): FeatureExtractor {
  const set = featureSetOf(manifest);
  const what = `feature-state.json of model ${manifest.version}`;
  if (manifest.featureState === undefined) {
    if (bytes !== null) throw new ValidationError(`${what} exists but the manifest lists none`);
    return set.restore(null);
  }
  if (bytes === null) throw new ValidationError(`${what} is missing`);
  if (bytes.byteLength !== manifest.featureState.bytes) {
    throw new ValidationError(`${what} is ${bytes.byteLength} bytes, its manifest says ${manifest.featureState.bytes} (truncated or replaced)`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== manifest.featureState.sha256) throw new ValidationError(`${what} has sha256 ${actual}, its manifest says ${manifest.featureState.sha256} (corrupted or replaced)`);
  return set.restore(parseJsonBytes(bytes, MAX_FEATURE_STATE_BYTES, what));
}

export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}

/** Parses and checks manifest.json; `expectedVersion` guards against a manifest stored under the wrong key. */
export function parseManifest(bytes: Uint8Array, expectedVersion?: string): ModelManifest {
  const what = `manifest of model ${expectedVersion ?? '(unknown)'}`;
  const manifest = parseWith(modelManifestSchema, parseJsonBytes(bytes, MAX_MANIFEST_BYTES, what), what);
  if (expectedVersion !== undefined && manifest.version !== expectedVersion) {
    throw new ValidationError(`${what} names version ${manifest.version}`);
  }
  return manifest;
}

/** Parses the `latest` pointer; returns the version it names. */
export function parsePointer(bytes: Uint8Array): string {
  return parseWith(modelPointerSchema, parseJsonBytes(bytes, MAX_POINTER_BYTES, 'latest model pointer'), 'latest model pointer').version;
}

export function checkModelVersion(version: string): string {
  return parseWith(modelVersionSchema, version, 'model version');
}

/**
 * Throws ModelSchemaError unless the model was trained on exactly the features `schema` describes
 * (same schema version, same names in the same order). Such a model must never score.
 */
export function assertFeatureSchema(manifest: ModelDescription, schema: FeatureSchema = codeFeatureSchema): void {
  const sameNames = manifest.featureNames.length === schema.names.length && manifest.featureNames.every((name, i) => name === schema.names[i]);
  if (manifest.featureSchemaVersion === schema.version && sameNames) return;
  const trained = `${manifest.featureSchemaVersion} [${manifest.featureNames.join(', ')}]`;
  const current = `${schema.version} [${schema.names.join(', ')}]`;
  throw new ModelSchemaError(`model ${manifest.version} was trained with feature schema ${trained}, this code extracts ${current}; retrain`);
}

/** Checks model.json's bytes against its manifest (size, sha256), parses it and checks the forest's shape. */
export function decodeModelArtifact(manifest: ModelManifest, artifact: Uint8Array): IsolationForest {
  const what = `model.json of model ${manifest.version}`;
  if (artifact.byteLength !== manifest.artifactBytes) {
    throw new ValidationError(`${what} is ${artifact.byteLength} bytes, its manifest says ${manifest.artifactBytes} (truncated or replaced)`);
  }
  const actual = sha256Hex(artifact);
  if (actual !== manifest.sha256) {
    throw new ValidationError(`${what} has sha256 ${actual}, its manifest says ${manifest.sha256} (corrupted or replaced)`);
  }
  const forest = IsolationForest.fromJSON(parseJsonBytes(artifact, MAX_MODEL_ARTIFACT_BYTES, what));
  if (forest.dims !== manifest.featureNames.length) {
    throw new ValidationError(`${what} has ${forest.dims} features, its manifest lists ${manifest.featureNames.length}`);
  }
  const { trees, sampleSize, seed } = forest.options;
  const stated = manifest.forestOptions;
  if (trees !== stated.trees || sampleSize !== stated.sampleSize || seed !== stated.seed) {
    throw new ValidationError(`${what} was built with ${JSON.stringify(forest.options)}, its manifest says ${JSON.stringify(stated)}`);
  }
  return forest;
}

function parseJsonBytes(bytes: Uint8Array, maxBytes: number, what: string): unknown {
  if (bytes.byteLength === 0) throw new ValidationError(`${what} is empty`);
  if (bytes.byteLength > maxBytes) throw new ValidationError(`${what} is ${bytes.byteLength} bytes, over the ${maxBytes}-byte cap`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ValidationError(`${what} is not valid UTF-8`, { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ValidationError(`${what} is not valid JSON`, { cause });
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = z.prettifyError(result.error);
  throw new ValidationError(`${what} is invalid: ${details.length > 600 ? `${details.slice(0, 600)}…` : details}`, { cause: result.error });
}
