import { modelDefaults } from '../../shared/config/model-config.js';
import type { Db } from '../../shared/db/index.js';
import { isProvisionalModel, type TrainingWindows } from '../../shared/model/training-windows.js';
import { DASHBOARD_SCHEMA, dashboardLimits as limits, type AnomalyCard, type RealtimeSnapshot, type RecentLog, type TimelinePoint } from '../dashboard-data.js';
import { cutText, featureContributions, featureValues, finiteNumber, finiteOrNull, isoOrNull, round, textOrNull } from '../json-values.js';
import { inReadSnapshot } from '../read-snapshot.js';
import { currentModel, levelCounts, perMinute, recentAnomalies, recentLogs, serviceActivity, storedUpTo, windowTotals } from './realtime-queries.js';

export const DEFAULT_WINDOW_MINUTES = 60;
const MINUTE_MS = 60_000;

/** The detector's default training windows (TRAINING_WINDOW, FIRST_TRAINING_WINDOW unset). */
export const DEFAULT_TRAINING_WINDOWS: TrainingWindows = Object.freeze({ trainingWindow: modelDefaults.trainingWindow, firstTrainingWindow: modelDefaults.firstTrainingWindow });

/**
 * Reads the real-time snapshot (last `windowMinutes`, default 60) in one consistent database
 * snapshot. `training` is the detector's configuration (its model config's two windows): it says
 * whether the active model is provisional and when the first one comes.
 */
export function readRealtimeSnapshot(db: Db, windowMinutes = DEFAULT_WINDOW_MINUTES, training: TrainingWindows = DEFAULT_TRAINING_WINDOWS): Promise<RealtimeSnapshot> {
  return inReadSnapshot(db, 'readRealtimeSnapshot', async (session) => {
    const totals = await windowTotals(session, windowMinutes);
    const levels = await levelCounts(session, windowMinutes, limits.MAX_LEVELS);
    const services = await serviceActivity(session, windowMinutes, limits.MAX_SERVICES);
    const minutes = await perMinute(session, windowMinutes);
    const anomalies = await recentAnomalies(session, windowMinutes, limits.MAX_RECENT_ANOMALIES, limits.MAX_MESSAGE_CHARS);
    const logs = await recentLogs(session, windowMinutes, limits.MAX_RECENT_LOGS, limits.MAX_MESSAGE_CHARS);
    const model = await currentModel(session);
    const storedTowardFirst = model === null ? await storedUpTo(session, training.firstTrainingWindow) : null;

    const logCount = finiteNumber(totals.logs);
    const anomalyCount = finiteNumber(totals.anomalies);
    return {
      schema: DASHBOARD_SCHEMA,
      kind: 'realtime',
      generatedAt: totals.now.toISOString(),
      windowMinutes,
      totals: {
        logs: logCount,
        anomalies: anomalyCount,
        anomalyRate: logCount === 0 ? 0 : round(anomalyCount / logCount, 6),
        activeServices: finiteNumber(totals.services),
        deadLetters: finiteNumber(totals.dead_letters),
      },
      levels: levels.map((row) => ({ level: cutText(row.level, limits.MAX_LABEL_CHARS), count: finiteNumber(row.count) })),
      services: services.map((row) => ({
        service: row.other ? '(other)' : cutText(row.service, limits.MAX_LABEL_CHARS),
        logs: finiteNumber(row.logs),
        anomalies: finiteNumber(row.anomalies),
      })),
      timeline: fillMinutes(minutes, totals.now, windowMinutes),
      recentAnomalies: anomalies.map(toAnomalyCard),
      recentLogs: logs.map(toRecentLog),
      model:
        model === null
          ? null
          : {
              version: cutText(String(model.version), limits.MAX_LABEL_CHARS),
              trainedAt: isoOrNull(model.trained_at) ?? '',
              threshold: finiteNumber(model.threshold),
              trainingRows: finiteNumber(model.training_rows),
              provisional: isProvisionalModel(finiteNumber(model.training_rows), training.trainingWindow),
            },
      training: { trainingWindow: training.trainingWindow, firstTrainingWindow: training.firstTrainingWindow, storedTowardFirst },
    };
  });
}

/** One point per minute from the window's first minute to the current one; minutes without logs are 0. */
function fillMinutes(rows: Array<{ minute: Date; logs: string; anomalies: string }>, now: Date, windowMinutes: number): TimelinePoint[] {
  const byMinute = new Map(rows.map((row) => [row.minute.getTime(), row]));
  const last = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
  const points: TimelinePoint[] = [];
  for (let minute = last - (windowMinutes - 1) * MINUTE_MS; minute <= last; minute += MINUTE_MS) {
    const row = byMinute.get(minute);
    points.push({ minute: new Date(minute).toISOString(), logs: finiteNumber(row?.logs), anomalies: finiteNumber(row?.anomalies) });
  }
  return points;
}

function toAnomalyCard(row: Record<string, unknown>): AnomalyCard {
  return {
    logId: cutText(String(row.log_id), limits.MAX_LABEL_CHARS),
    ts: isoOrNull(row.ts) ?? '',
    detectedAt: isoOrNull(row.detected_at) ?? '',
    service: cutText(String(row.service), limits.MAX_LABEL_CHARS),
    level: cutText(String(row.level), limits.MAX_LABEL_CHARS),
    message: cutText(String(row.message), limits.MAX_MESSAGE_CHARS),
    host: textOrNull(row.host, limits.MAX_LABEL_CHARS),
    experimentId: textOrNull(row.experiment_id, limits.MAX_LABEL_CHARS),
    score: round(finiteNumber(row.score), 6),
    threshold: round(finiteNumber(row.threshold), 6),
    modelVersion: cutText(String(row.model_version), limits.MAX_LABEL_CHARS),
    features: featureValues(row.features, limits.MAX_FEATURES, limits.MAX_LABEL_CHARS),
    contributions: featureContributions(row.contributions, limits.MAX_FEATURES, limits.MAX_LABEL_CHARS),
  };
}

function toRecentLog(row: Record<string, unknown>): RecentLog {
  const score = finiteOrNull(row.score);
  return {
    logId: cutText(String(row.log_id), limits.MAX_LABEL_CHARS),
    ts: isoOrNull(row.ts) ?? '',
    service: cutText(String(row.service), limits.MAX_LABEL_CHARS),
    level: cutText(String(row.level), limits.MAX_LABEL_CHARS),
    message: cutText(String(row.message), limits.MAX_MESSAGE_CHARS),
    host: textOrNull(row.host, limits.MAX_LABEL_CHARS),
    anomalous: score !== null,
    score: score === null ? null : round(score, 6),
  };
}
