/** Rows for the dashboard publisher tests, written through the pipeline's own repositories. */
import type pg from 'pg';
import { storeDetectorBatch, type NewAnomaly, type NewLog } from '../../../functions/shared/db/index.js';

export interface FixtureLog {
  readonly service: string;
  readonly level: string;
  readonly message?: string;
  readonly host?: string | null;
  readonly experimentId?: string | null;
  readonly label?: string | null;
  /** Flag it as an anomaly with this score. */
  readonly anomalyScore?: number;
  readonly contributions?: unknown;
  readonly features?: Record<string, number>;
}

let nextOffset = 0;

/** Stores the logs (and their anomalies) in one detector batch on topic `logs`, partition 0; returns their log ids. */
export async function storeLogs(pool: pg.Pool, logs: readonly FixtureLog[], producedAt: Date | null = new Date()): Promise<string[]> {
  const rows: NewLog[] = [];
  const anomalies: NewAnomaly[] = [];
  for (const log of logs) {
    const offset = nextOffset++;
    const coordinates = { topic: 'logs', partition: 0, offset };
    rows.push({
      ...coordinates,
      logId: `log-${offset}`,
      ts: new Date().toISOString(),
      service: log.service,
      level: log.level,
      message: log.message ?? `${log.level} from ${log.service} #${offset}`,
      host: log.host === undefined ? 'host-1' : log.host,
      traceId: null,
      experimentId: log.experimentId ?? null,
      producerId: null,
      label: log.label ?? null,
      producedAt,
    });
    if (log.anomalyScore !== undefined) {
      anomalies.push({
        ...coordinates,
        score: log.anomalyScore,
        threshold: 0.6,
        modelVersion: 'model-v1',
        features: log.features ?? { service: 0.25, message_length: 120 },
        contributions: log.contributions ?? [
          { feature: 'message_length', contribution: 0.3 },
          { feature: 'service', contribution: 0.1 },
        ],
        experimentId: log.experimentId ?? null,
      });
    }
  }
  await storeDetectorBatch(pool, { logs: rows, anomalies, deadLetters: [] });
  return rows.map((row) => row.logId);
}

export async function emptyTables(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE logs, anomalies, dead_letters, log_rollups, dead_letter_rollups, models, experiments, performance_metrics, consumer_lag RESTART IDENTITY CASCADE');
}
