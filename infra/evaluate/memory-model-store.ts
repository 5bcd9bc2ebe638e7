import { ValidationError } from '../../functions/shared/errors.js';
import {
  assertFeatureSchema,
  decodeFeatureState,
  decodeModelArtifact,
  encodeModelArtifact,
  type FeatureSchema,
  type LoadedModel,
  type ModelManifest,
  type TrainedModel,
} from '../../functions/shared/model/model-artifact.js';
import type { ModelStore } from '../../functions/shared/model/s3-model-store.js';

/**
 * Model versions in memory, through the same encoding and checks as the S3 store (so evaluate
 * scores with exactly what a detector would load): artifacts are serialized on publish and
 * decoded, checksummed and schema-checked on load.
 */
export class MemoryModelStore implements ModelStore {
  private readonly versions = new Map<string, { manifest: ModelManifest; artifact: Uint8Array; featureState: Uint8Array | null }>();
  private latest: string | null = null;

  constructor(private readonly featureSchema: FeatureSchema) {}

  get published(): number {
    return this.versions.size;
  }

  async publish(model: TrainedModel): Promise<ModelManifest> {
    const { artifact, featureState, manifest } = encodeModelArtifact(model);
    if (this.versions.has(manifest.version)) throw new ValidationError(`model version ${manifest.version} already exists; versions are immutable`);
    this.versions.set(manifest.version, { manifest, artifact, featureState });
    this.latest = manifest.version;
    return manifest;
  }

  async readLatestPointer(): Promise<string | null> {
    return this.latest;
  }

  async load(version: string): Promise<LoadedModel> {
    const stored = this.versions.get(version);
    if (stored === undefined) throw new ValidationError(`model ${version} does not exist`);
    assertFeatureSchema(stored.manifest, this.featureSchema);
    return { manifest: stored.manifest, forest: decodeModelArtifact(stored.manifest, stored.artifact), features: decodeFeatureState(stored.manifest, stored.featureState) };
  }

  async loadLatest(): Promise<LoadedModel | null> {
    return this.latest === null ? null : this.load(this.latest);
  }
}
