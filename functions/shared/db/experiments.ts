/**
 * Experiments: one run of the pipeline with fixed concurrency settings. Life cycle:
 * created "running" → finished once as "completed" or "failed" (with a reason). Both steps are
 * idempotent: creating an existing id or finishing a finished experiment changes nothing.
 */
import { ValidationError } from '../errors.js';
import type { Db } from './pool.js';
import { withDatabaseErrors } from './database-errors.js';
import { optionalText, optionalTimestamp, requireInteger, requireText, type Timestamp } from './input-checks.js';
import { toJsonbText } from './text-safety.js';

export type ExperimentStatus = 'running' | 'completed' | 'failed';
export type FinishedStatus = Exclude<ExperimentStatus, 'running'>;

export interface NewExperiment {
  /** Caller-chosen id (1..200 characters), e.g. "exp-2024-05-01-p4c2". */
  readonly id: string;
  readonly name: string;
  readonly producers: number;
  readonly consumers: number;
  readonly partitions: number;
  /** Any other settings, as JSON (rates, batch sizes, ...). */
  readonly settings: unknown;
  /** Defaults to the database's now(). */
  readonly startedAt?: Timestamp | null;
}

export interface Experiment {
  readonly id: string;
  readonly name: string;
  readonly producers: number;
  readonly consumers: number;
  readonly partitions: number;
  readonly settings: unknown;
  readonly status: ExperimentStatus;
  readonly statusReason: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly createdAt: string;
}

const MAX_ID_LENGTH = 200;
const MAX_COUNT = 10_000;

/** Creates the experiment as "running"; `created` is false when the id already existed (nothing changed). */
export async function createExperiment(db: Db, experiment: NewExperiment): Promise<{ created: boolean }> {
  const id = checkId(experiment?.id);
  const params = [
    id,
    requireText(experiment.name, 'experiment.name'),
    requireInteger(experiment.producers, 'experiment.producers', 0, MAX_COUNT),
    requireInteger(experiment.consumers, 'experiment.consumers', 0, MAX_COUNT),
    requireInteger(experiment.partitions, 'experiment.partitions', 1, MAX_COUNT),
    toJsonbText(experiment.settings ?? {}, 'experiment.settings'),
    optionalTimestamp(experiment.startedAt, 'experiment.startedAt'),
  ];
  const result = await withDatabaseErrors('createExperiment', () =>
    db.query(
      `INSERT INTO experiments (id, name, producers, consumers, partitions, settings, started_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, COALESCE($7::timestamptz, now()))
       ON CONFLICT (id) DO NOTHING`,
      params,
    ),
  );
  return { created: result.rowCount === 1 };
}

/**
 * Marks a running experiment completed or failed. `finished` is false when it had already finished
 * (its first outcome stands). Throws ValidationError for an unknown id or a bad status.
 */
export async function finishExperiment(
  db: Db,
  id: string,
  status: FinishedStatus,
  reason: string | null,
  endedAt?: Timestamp,
): Promise<{ finished: boolean }> {
  const experimentId = checkId(id);
  if (status !== 'completed' && status !== 'failed') {
    throw new ValidationError(`experiment status must be "completed" or "failed" (got ${JSON.stringify(status)})`);
  }
  const params = [experimentId, status, optionalText(reason, 'reason'), optionalTimestamp(endedAt, 'endedAt')];
  const result = await withDatabaseErrors('finishExperiment', () =>
    db.query(
      `WITH target AS (SELECT id, status FROM experiments WHERE id = $1 FOR UPDATE),
            updated AS (
              UPDATE experiments e SET status = $2, status_reason = $3,
                     ended_at = COALESCE($4::timestamptz, now())
              FROM target WHERE e.id = target.id AND target.status = 'running'
              RETURNING e.id)
       SELECT (SELECT count(*) FROM target) AS found, (SELECT count(*) FROM updated) AS finished`,
      params,
    ),
  );
  const row = result.rows[0] as { found: string; finished: string } | undefined;
  if (!row || Number(row.found) === 0) throw new ValidationError(`no experiment with id "${experimentId}"`);
  return { finished: Number(row.finished) === 1 };
}

export async function getExperiment(db: Db, id: string): Promise<Experiment | null> {
  const experimentId = checkId(id);
  const result = await withDatabaseErrors('getExperiment', () =>
    db.query(
      `SELECT id, name, producers, consumers, partitions, settings, status, status_reason, started_at, ended_at, created_at
       FROM experiments WHERE id = $1`,
      [experimentId],
    ),
  );
  const row = result.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    producers: row.producers,
    consumers: row.consumers,
    partitions: row.partitions,
    settings: row.settings,
    status: row.status,
    statusReason: row.status_reason,
    startedAt: (row.started_at as Date).toISOString(),
    endedAt: row.ended_at === null ? null : (row.ended_at as Date).toISOString(),
    createdAt: (row.created_at as Date).toISOString(),
  };
}

function checkId(value: unknown): string {
  const id = requireText(value, 'experiment id');
  if (id.length > MAX_ID_LENGTH) throw new ValidationError(`experiment id is longer than ${MAX_ID_LENGTH} characters`);
  return id;
}
