import type pg from 'pg';
import { countLogsUpTo, readStreamStatesOfModel, recentLogsForTraining, registerModel, withAdvisoryLock, type StoredLog } from '../shared/db/index.js';
import type { LogLevel, LogRecord } from '../shared/log/index.js';
import type { ModelManifest } from '../shared/model/model-artifact.js';
import type { TrainerLock, TrainingSource } from '../shared/model/model-manager.js';

/** The advisory lock every detector container trains under: one trainer at a time, cluster-wide. */
export const TRAINING_LOCK_NAME = 'model-training';

/**
 * Training data from PostgreSQL: the newest stored records of the `logs` table, rebuilt as
 * LogRecords, and the `detector_streams` states learned against the model being replaced.
 */
export function postgresTrainingSource(pool: pg.Pool): TrainingSource {
  return {
    countRecords: (atMost) => countLogsUpTo(pool, atMost),
    recentRecords: async (limit) => (await recentLogsForTraining(pool, limit)).map(storedLogToRecord),
    learnedStreams: (modelVersion) => readStreamStatesOfModel(pool, modelVersion),
  };
}

/** A PostgreSQL session advisory lock that never waits (busy → `{ acquired: false }`). */
export function advisoryTrainerLock(pool: pg.Pool): TrainerLock {
  return { tryRun: (fn) => withAdvisoryLock(pool, TRAINING_LOCK_NAME, fn) };
}

/**
 * The LogRecord a stored log came from. Its features equal the original's: every column a feature
 * reads is stored as it was (`ts` at millisecond precision). The label column is not read.
 */
export function storedLogToRecord(log: StoredLog): LogRecord {
  return {
    id: log.logId,
    ts: log.ts,
    service: log.service,
    level: log.level as LogLevel,
    message: log.message,
    host: log.host ?? '',
    ...(log.traceId === null ? {} : { traceId: log.traceId }),
    ...(log.experimentId === null ? {} : { experimentId: log.experimentId }),
    ...(log.producerId === null ? {} : { producerId: log.producerId }),
  };
}

/** Records a freshly trained version in the `models` table (active; the previous one retired). */
export async function registerTrainedModel(pool: pg.Pool, manifest: ModelManifest, artifactKey: string): Promise<{ registered: boolean }> {
  return registerModel(pool, {
    version: manifest.version,
    featureSchemaVersion: manifest.featureSchemaVersion,
    trainedAt: manifest.trainedAt,
    trainingRows: manifest.trainingWindow.rows,
    threshold: manifest.threshold,
    contamination: manifest.contamination,
    scoreStats: manifest.scoreStats,
    artifactKey,
  });
}
