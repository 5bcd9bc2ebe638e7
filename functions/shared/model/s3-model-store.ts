import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { ConfigError, InfrastructureError, ValidationError } from '../errors.js';
import {
  MAX_FEATURE_STATE_BYTES,
  MAX_MANIFEST_BYTES,
  MAX_MODEL_ARTIFACT_BYTES,
  MAX_POINTER_BYTES,
  assertFeatureSchema,
  checkModelVersion,
  codeFeatureSchema,
  decodeFeatureState,
  decodeModelArtifact,
  encodeJson,
  encodeModelArtifact,
  parseManifest,
  parsePointer,
  type FeatureSchema,
  type LoadedModel,
  type ModelManifest,
  type TrainedModel,
} from './model-artifact.js';

/** Where model versions live; what the ModelManager needs from a store. */
export interface ModelStore {
  /** Stores a new, immutable version and then moves the `latest` pointer to it. */
  publish(model: TrainedModel): Promise<ModelManifest>;
  /** The version `latest` names, or null when nothing was published yet. */
  readLatestPointer(): Promise<string | null>;
  /** Reads and checks one version. ValidationError: missing/corrupt; ModelSchemaError: other features. */
  load(version: string): Promise<LoadedModel>;
  /** `load(readLatestPointer())`, or null when nothing was published yet. */
  loadLatest(): Promise<LoadedModel | null>;
}

export interface S3ModelStoreOptions {
  /** Features loaded models must match; defaults to what this code extracts. */
  readonly featureSchema?: FeatureSchema;
}

/**
 * Model versions in an S3 bucket (layout in model-artifact.ts). Publishing writes model.json, then
 * manifest.json, then the pointer, so a reader that follows the pointer never sees a partial
 * version. Version objects are never overwritten: publish refuses an existing version (HEAD check,
 * plus `If-None-Match: *` which real S3 enforces atomically), and the pointer never moves to a
 * version trained earlier than the one it names (a slow trainer cannot undo a newer publish).
 * S3 failures → InfrastructureError (with cause); bad stored data → ValidationError.
 * Build the client with config's `createS3Client` (checksums WHEN_REQUIRED, path style for emulators).
 */
export class S3ModelStore implements ModelStore {
  private readonly featureSchema: FeatureSchema;

  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    readonly prefix = 'models/',
    options: S3ModelStoreOptions = {},
  ) {
    if (bucket.length === 0) throw new ConfigError('model bucket name must not be empty');
    if (prefix !== '' && (!prefix.endsWith('/') || prefix.startsWith('/'))) {
      throw new ConfigError(`model key prefix must be empty or end with "/" (and not start with one), got ${JSON.stringify(prefix)}`);
    }
    this.featureSchema = options.featureSchema ?? codeFeatureSchema;
  }

  get pointerKey(): string {
    return `${this.prefix}latest`;
  }

  modelKey(version: string): string {
    return `${this.prefix}${version}/model.json`;
  }

  manifestKey(version: string): string {
    return `${this.prefix}${version}/manifest.json`;
  }

  featureStateKey(version: string): string {
    return `${this.prefix}${version}/feature-state.json`;
  }

  async publish(model: TrainedModel): Promise<ModelManifest> {
    const { artifact, featureState, manifest } = encodeModelArtifact(model);
    const { version } = manifest;
    if ((await this.exists(this.modelKey(version))) || (await this.exists(this.manifestKey(version)))) {
      throw immutableVersion(version);
    }
    await this.putNew(this.modelKey(version), artifact, version);
    if (featureState !== null) await this.putNew(this.featureStateKey(version), featureState, version);
    await this.putNew(this.manifestKey(version), encodeJson(manifest), version);
    if (await this.pointerMayMoveTo(version)) await this.put(this.pointerKey, encodeJson({ version }));
    return manifest;
  }

  /** False only when `latest` names a version trained in a later second; an unreadable pointer is replaced. */
  private async pointerMayMoveTo(version: string): Promise<boolean> {
    let current: string | null;
    try {
      current = await this.readLatestPointer();
    } catch (error) {
      if (error instanceof ValidationError) return true;
      throw error;
    }
    return current === null || trainedSecond(current) <= trainedSecond(version);
  }

  async readLatestPointer(): Promise<string | null> {
    const bytes = await this.get(this.pointerKey, MAX_POINTER_BYTES);
    return bytes === null ? null : parsePointer(bytes);
  }

  async load(version: string): Promise<LoadedModel> {
    checkModelVersion(version);
    const manifestBytes = await this.get(this.manifestKey(version), MAX_MANIFEST_BYTES);
    if (manifestBytes === null) throw new ValidationError(`model ${version} has no manifest at ${this.describe(this.manifestKey(version))}`);
    const manifest = parseManifest(manifestBytes, version);
    assertFeatureSchema(manifest, this.featureSchema);
    const artifact = await this.get(this.modelKey(version), MAX_MODEL_ARTIFACT_BYTES);
    if (artifact === null) throw new ValidationError(`model ${version} has no model.json at ${this.describe(this.modelKey(version))}`);
    const forest = decodeModelArtifact(manifest, artifact);
    const state = manifest.featureState === undefined ? null : await this.get(this.featureStateKey(version), MAX_FEATURE_STATE_BYTES);
    return { manifest, forest, features: decodeFeatureState(manifest, state) };
  }

  async loadLatest(): Promise<LoadedModel | null> {
    const version = await this.readLatestPointer();
    return version === null ? null : this.load(version);
  }

  /** The object's bytes, or null when the key does not exist. More than `maxBytes` → ValidationError. */
  private async get(key: string, maxBytes: number): Promise<Uint8Array | null> {
    try {
      const response = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = response.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
      if (body === undefined) return new Uint8Array(0);
      if (response.ContentLength !== undefined && response.ContentLength > maxBytes) {
        body.destroy?.();
        throw oversize(this.describe(key), response.ContentLength, maxBytes);
      }
      return await readCapped(body, maxBytes, this.describe(key));
    } catch (error) {
      if (errorName(error) === 'NoSuchKey') return null;
      throw this.wrap(error, 'GetObject', key);
    }
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (errorName(error) === 'NotFound' || errorName(error) === 'NoSuchKey') return false;
      throw this.wrap(error, 'HeadObject', key);
    }
  }

  private async putNew(key: string, body: Uint8Array, version: string): Promise<void> {
    try {
      await this.put(key, body, '*');
    } catch (error) {
      if (error instanceof InfrastructureError && errorName(error.cause) === 'PreconditionFailed') throw immutableVersion(version);
      throw error;
    }
  }

  private async put(key: string, body: Uint8Array, ifNoneMatch?: '*'): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: 'application/json', ...(ifNoneMatch ? { IfNoneMatch: ifNoneMatch } : {}) }),
      );
    } catch (error) {
      throw this.wrap(error, 'PutObject', key);
    }
  }

  private wrap(error: unknown, operation: string, key: string): Error {
    if (error instanceof ValidationError) return error;
    const name = errorName(error) ?? 'Error';
    const message = error instanceof Error ? error.message : String(error);
    return new InfrastructureError(`S3 ${operation} ${this.describe(key)} failed: ${name}: ${message}`, { cause: error });
  }

  private describe(key: string): string {
    return `s3://${this.bucket}/${key}`;
  }
}

/** Reads a body stream, refusing more than `maxBytes` (the stream is destroyed when over). */
async function readCapped(body: AsyncIterable<Uint8Array> & { destroy?: () => void }, maxBytes: number, what: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy?.();
      throw oversize(what, total, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function oversize(what: string, bytes: number, maxBytes: number): ValidationError {
  return new ValidationError(`${what} is at least ${bytes} bytes, over the ${maxBytes}-byte cap`);
}

function immutableVersion(version: string): ValidationError {
  return new ValidationError(`model version ${version} already exists; versions are immutable`);
}

/** The `YYYYMMDDTHHMMSSZ` part of a version id: sorts by training time. */
function trainedSecond(version: string): string {
  return version.slice(0, version.indexOf('-'));
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string' ? error.name : undefined;
}
