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
  /** The batch suite this run belongs to (1..200 characters), or none. */
  readonly suiteId?: string | null;
  /** Repetition number within the suite (1, 2, ...), or none. */
  readonly trial?: number | null;
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
  readonly suiteId: string | null;
  readonly trial: number | null;
  /** What the run measured (saveExperimentSummary), or null. */
  readonly summary: unknown;
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
    optionalSuiteId(experiment.suiteId),
    experiment.trial === undefined || experiment.trial === null ? null : requireInteger(experiment.trial, 'experiment.trial', 1, MAX_COUNT),
  ];
  const result = await withDatabaseErrors('createExperiment', () =>
    db.query(
      `INSERT INTO experiments (id, name, producers, consumers, partitions, settings, started_at, suite_id, trial)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, COALESCE($7::timestamptz, now()), $8, $9)
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

const EXPERIMENT_COLUMNS =
  'id, name, producers, consumers, partitions, settings, status, status_reason, started_at, ended_at, created_at, suite_id, trial, summary';

export async function getExperiment(db: Db, id: string): Promise<Experiment | null> {
  const experimentId = checkId(id);
  const result = await withDatabaseErrors('getExperiment', () =>
    db.query<ExperimentRow>(`SELECT ${EXPERIMENT_COLUMNS} FROM experiments WHERE id = $1`, [experimentId]),
  );
  const row = result.rows[0];
  return row ? toExperiment(row) : null;
}

/** Stores what a run measured (any JSON); replaces an earlier summary. Throws ValidationError for an unknown id. */
export async function saveExperimentSummary(db: Db, id: string, summary: unknown): Promise<void> {
  const experimentId = checkId(id);
  const result = await withDatabaseErrors('saveExperimentSummary', () =>
    db.query('UPDATE experiments SET summary = $2::jsonb WHERE id = $1', [experimentId, toJsonbText(summary, 'summary')]),
  );
  if (result.rowCount !== 1) throw new ValidationError(`no experiment with id "${experimentId}"`);
}

export interface ExperimentFilter {
  /** These ids only (in any order); unknown ids are left out. */
  readonly ids?: readonly string[];
  readonly suiteId?: string;
  /** Newest first, at most this many (default 1,000). */
  readonly limit?: number;
}

/** Experiments by ids or suite, newest first. */
export async function listExperiments(db: Db, filter: ExperimentFilter = {}): Promise<Experiment[]> {
  const ids = filter.ids === undefined ? null : requireArrayOfIds(filter.ids);
  const suiteId = filter.suiteId === undefined ? null : optionalSuiteId(filter.suiteId);
  const limit = requireInteger(filter.limit ?? 1_000, 'limit', 1, 100_000);
  const result = await withDatabaseErrors('listExperiments', () =>
    db.query<ExperimentRow>(
      `SELECT ${EXPERIMENT_COLUMNS} FROM experiments
       WHERE ($1::text[] IS NULL OR id = ANY($1::text[])) AND ($2::text IS NULL OR suite_id = $2)
       ORDER BY started_at DESC, id LIMIT $3`,
      [ids, suiteId, limit],
    ),
  );
  return result.rows.map(toExperiment);
}

interface ExperimentRow {
  id: string;
  name: string;
  producers: number;
  consumers: number;
  partitions: number;
  settings: unknown;
  status: ExperimentStatus;
  status_reason: string | null;
  started_at: Date;
  ended_at: Date | null;
  created_at: Date;
  suite_id: string | null;
  trial: number | null;
  summary: unknown;
}

function toExperiment(row: ExperimentRow): Experiment {
  return {
    id: row.id,
    name: row.name,
    producers: row.producers,
    consumers: row.consumers,
    partitions: row.partitions,
    settings: row.settings,
    status: row.status,
    statusReason: row.status_reason,
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at === null ? null : row.ended_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    suiteId: row.suite_id ?? null,
    trial: row.trial ?? null,
    summary: row.summary ?? null,
  };
}

function optionalSuiteId(value: unknown): string | null {
  const suiteId = optionalText(value, 'experiment.suiteId');
  if (suiteId !== null && suiteId.length > MAX_ID_LENGTH) throw new ValidationError(`experiment.suiteId is longer than ${MAX_ID_LENGTH} characters`);
  return suiteId;
}

function requireArrayOfIds(ids: readonly string[]): string[] {
  if (!Array.isArray(ids)) throw new ValidationError('ids must be an array of experiment ids');
  return ids.map(checkId);
}

function checkId(value: unknown): string {
  const id = requireText(value, 'experiment id');
  if (id.length > MAX_ID_LENGTH) throw new ValidationError(`experiment id is longer than ${MAX_ID_LENGTH} characters`);
  return id;
}
