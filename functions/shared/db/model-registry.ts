/**
 * The model registry: one row per trained model (its artifact lives in S3 under `artifact_key`).
 * Invariant: at most one model is "active" (a partial unique index enforces it). Registering a new
 * model makes it active and retires the previous one, atomically; registrations are serialised by
 * a transaction-level advisory lock so two trainers cannot both become active.
 */
import { ValidationError } from '../errors.js';
import type { Db } from './pool.js';
import { withTransaction } from './transaction.js';
import { withDatabaseErrors } from './database-errors.js';
import { advisoryLockKey } from './advisory-lock.js';
import { requireFiniteNumber, requireInteger, requireText, requireTimestamp, type Timestamp } from './input-checks.js';
import { toJsonbText } from './text-safety.js';

export interface NewModel {
  readonly version: string;
  readonly featureSchemaVersion: string;
  readonly trainedAt: Timestamp;
  readonly trainingRows: number;
  readonly threshold: number;
  /** Expected share of anomalies used to set the threshold: 0 ≤ c ≤ 0.5. */
  readonly contamination: number;
  /** Score distribution on the training data (mean, p50, p99, ...), as JSON. */
  readonly scoreStats: unknown;
  /** S3 key of the artifact. */
  readonly artifactKey: string;
}

export interface RegisteredModel {
  readonly version: string;
  readonly featureSchemaVersion: string;
  readonly trainedAt: string;
  readonly trainingRows: number;
  readonly threshold: number;
  readonly contamination: number;
  readonly scoreStats: unknown;
  readonly artifactKey: string;
  readonly status: 'active' | 'retired';
  readonly createdAt: string;
}

const REGISTRY_LOCK = advisoryLockKey('model-registry');
const MAX_VERSION_LENGTH = 200;

/**
 * Registers `model` as the active model and retires the others. Idempotent: a version that is
 * already registered is left as it is (`registered: false`), active or not.
 */
export async function registerModel(db: Db, model: NewModel): Promise<{ registered: boolean }> {
  const version = requireText(model?.version, 'model.version');
  if (version.length > MAX_VERSION_LENGTH) throw new ValidationError(`model.version is longer than ${MAX_VERSION_LENGTH} characters`);
  const contamination = requireFiniteNumber(model.contamination, 'model.contamination');
  if (contamination < 0 || contamination > 0.5) throw new ValidationError(`model.contamination must be in [0, 0.5] (got ${contamination})`);
  const params = [
    version,
    requireText(model.featureSchemaVersion, 'model.featureSchemaVersion'),
    requireTimestamp(model.trainedAt, 'model.trainedAt'),
    requireInteger(model.trainingRows, 'model.trainingRows', 0, 2_147_483_647),
    requireFiniteNumber(model.threshold, 'model.threshold'),
    contamination,
    toJsonbText(model.scoreStats ?? {}, 'model.scoreStats'),
    requireText(model.artifactKey, 'model.artifactKey'),
  ];
  return withDatabaseErrors('registerModel', () =>
    withTransaction(db, async (session) => {
      await session.query('SELECT pg_advisory_xact_lock($1::bigint)', [REGISTRY_LOCK]);
      const existing = await session.query('SELECT 1 FROM models WHERE version = $1', [version]);
      if ((existing.rowCount ?? 0) > 0) return { registered: false };
      await session.query(`UPDATE models SET status = 'retired' WHERE status = 'active'`);
      await session.query(
        `INSERT INTO models (version, feature_schema_version, trained_at, training_rows, threshold, contamination,
                             score_stats, artifact_key, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, 'active')`,
        params,
      );
      return { registered: true };
    }),
  );
}

/** The active model, or null when none was registered yet. */
export async function activeModel(db: Db): Promise<RegisteredModel | null> {
  const result = await withDatabaseErrors('activeModel', () =>
    db.query(
      `SELECT version, feature_schema_version, trained_at, training_rows, threshold, contamination, score_stats,
              artifact_key, status, created_at
       FROM models WHERE status = 'active'`,
    ),
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    version: row.version,
    featureSchemaVersion: row.feature_schema_version,
    trainedAt: (row.trained_at as Date).toISOString(),
    trainingRows: row.training_rows,
    threshold: row.threshold,
    contamination: row.contamination,
    scoreStats: row.score_stats,
    artifactKey: row.artifact_key,
    status: row.status,
    createdAt: (row.created_at as Date).toISOString(),
  };
}
