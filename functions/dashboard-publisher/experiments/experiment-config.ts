/**
 * Experiments as the dashboard shows them, read tolerantly: the row is read whole (to_jsonb), so
 * columns another migration adds (suite id, failure reason, detection figures) are picked up when
 * present and ignored when absent, and an unexpected value never breaks the index.
 * Known: 001's columns; 005's suite_id, trial and summary (jsonb of measured figures).
 */
import type { Session } from '../../shared/db/index.js';
import { dashboardLimits as limits, type DetectionQuality, type ExperimentConfig, type ExperimentStatus } from '../dashboard-data.js';
import { cutText, finiteNumber, finiteOrNull, isoOrNull, textOrNull } from '../json-values.js';

/** Settings are shown, not interpreted: at most this many entries, each value at most this long as JSON. */
const MAX_SETTINGS = 40;
const MAX_SETTING_JSON_CHARS = 300;

export interface ExperimentRow {
  readonly config: ExperimentConfig;
  /** Precision/recall/F1 the experiment runner recorded, when its columns exist and are filled. */
  readonly recordedDetection: DetectionQuality | null;
  /** The row as read, to tell whether a finished experiment changed since it was last published. */
  readonly fingerprint: string;
}

/** The newest `limit` experiments (by start), newest first. */
export async function readExperimentRows(session: Session, limit: number): Promise<ExperimentRow[]> {
  const result = await session.query<{ row: Record<string, unknown>; now: Date }>(
    `SELECT to_jsonb(e) AS row, now() AS now FROM experiments e ORDER BY e.started_at DESC, e.id LIMIT $1`,
    [limit],
  );
  return result.rows.map(({ row, now }) => toExperimentRow(row, now));
}

export function toExperimentRow(row: Record<string, unknown>, now: Date): ExperimentRow {
  const startedAt = isoOrNull(row.started_at) ?? now.toISOString();
  const endedAt = isoOrNull(row.ended_at);
  const durationMs = Math.max(0, Date.parse(endedAt ?? now.toISOString()) - Date.parse(startedAt));
  const config: ExperimentConfig = {
    id: String(row.id),
    name: cutText(typeof row.name === 'string' ? row.name : String(row.id), limits.MAX_LABEL_CHARS),
    status: toStatus(row.status),
    statusReason: textOrNull(row.status_reason ?? row.failure_reason, limits.MAX_MESSAGE_CHARS),
    producers: finiteNumber(row.producers),
    consumers: finiteNumber(row.consumers),
    partitions: finiteNumber(row.partitions),
    settings: boundedSettings(row.settings),
    suiteId: textOrNull(row.suite_id ?? row.suite, limits.MAX_LABEL_CHARS),
    trial: finiteOrNull(row.trial),
    startedAt,
    endedAt,
    durationSeconds: Math.round(durationMs / 100) / 10,
  };
  return { config, recordedDetection: recordedDetection(row), fingerprint: JSON.stringify(row) };
}

function toStatus(value: unknown): ExperimentStatus {
  return value === 'completed' || value === 'failed' ? value : 'running';
}

/** A flat copy of the settings object with long values cut (as JSON text) and at most MAX_SETTINGS keys. */
function boundedSettings(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  const settings: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value).slice(0, MAX_SETTINGS)) {
    const json = JSON.stringify(item) ?? 'null';
    settings[cutText(key, limits.MAX_LABEL_CHARS)] = json.length <= MAX_SETTING_JSON_CHARS ? item : cutText(json, MAX_SETTING_JSON_CHARS);
  }
  return settings;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * precision/recall/f1 as the experiment runner recorded them: columns `precision` or
 * `detection_precision` (etc.), a `detection` object column, or the `summary` jsonb (005) holding
 * them directly or under `detection`.
 */
function recordedDetection(row: Record<string, unknown>): DetectionQuality | null {
  const summary = asObject(row.summary);
  const nested = { ...asObject(summary.detection), ...asObject(row.detection) };
  const pick = (name: string): number | null => finiteOrNull(row[name] ?? row[`detection_${name}`] ?? nested[name] ?? summary[name]);
  const [precision, recall, f1] = [pick('precision'), pick('recall'), pick('f1')];
  if (precision === null && recall === null && f1 === null) return null;
  return { precision, recall, f1, source: 'experiment', truePositives: null, falsePositives: null, falseNegatives: null };
}
