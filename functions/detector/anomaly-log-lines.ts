/**
 * The `ANOMALY DETECTED` lines the seed's consumer wrote and its users grep for: one INFO line per
 * anomaly a batch flagged, at most MAX_ANOMALY_LINES_PER_BATCH, then one line counting the rest (a
 * burst cannot flood the log). Each line names the record by its coordinates and says why it was
 * flagged (service, level, score, threshold, top feature, template id) — never the log's message
 * text or any other payload (detector-logger.ts's invariant; `npm run psql` shows the stored row).
 * Nothing is built when the logger's INFO level is off: this runs on the hot path. The record's
 * service and level are `logService` and `logLevel`: Powertools reserves `service` and `level` for
 * its own (it would drop them, with a warning line each).
 */
import type { NewAnomaly } from '../shared/db/index.js';
import type { DetectorLogger } from './detector-logger.js';
import type { ScorableLog } from './map-record.js';
import type { FeatureContribution } from './anomaly-mapping.js';

export const ANOMALY_LINE_MESSAGE = 'ANOMALY DETECTED';
export const MAX_ANOMALY_LINES_PER_BATCH = 20;

/** `anomalies[i]` was flagged on `logs[i]` (same index). */
export function logAnomalies(logger: DetectorLogger, anomalies: readonly NewAnomaly[], logs: readonly ScorableLog[]): void {
  if (anomalies.length === 0 || logger.infoEnabled?.() === false) return;
  const shown = Math.min(anomalies.length, logs.length, MAX_ANOMALY_LINES_PER_BATCH);
  for (let i = 0; i < shown; i++) {
    const anomaly = anomalies[i]!;
    const { log } = logs[i]!;
    const top = Array.isArray(anomaly.contributions) ? (anomaly.contributions[0] as FeatureContribution | undefined) : undefined;
    logger.info(ANOMALY_LINE_MESSAGE, {
      logService: log.service,
      logLevel: log.level,
      score: round4(anomaly.score),
      threshold: round4(anomaly.threshold),
      topFeature: top?.feature ?? null,
      topContribution: top === undefined ? null : round4(top.contribution),
      topic: anomaly.topic,
      partition: anomaly.partition,
      offset: anomaly.offset,
      templateId: anomaly.features.template_id ?? null,
      modelVersion: anomaly.modelVersion,
    });
  }
  if (anomalies.length > shown) {
    logger.info('more anomalies in this batch, not logged one by one', { notLogged: anomalies.length - shown, anomalies: anomalies.length, linesPerBatch: MAX_ANOMALY_LINES_PER_BATCH });
  }
}

function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
