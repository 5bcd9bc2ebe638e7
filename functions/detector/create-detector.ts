import type pg from 'pg';
import type { MetricsEmitter } from '../shared/metrics/index.js';
import { ModelManager } from '../shared/model/model-manager.js';
import type { ModelPolicyOverrides } from '../shared/model/model-policy.js';
import type { ModelStore } from '../shared/model/s3-model-store.js';
import { parseDetectorEvent } from './detector-event.js';
import { createJsonLineLogger, describeError, type DetectorLogger } from './detector-logger.js';
import { processBatch, type BatchDependencies, type DetectorClock, type DetectorSummary } from './process-batch.js';
import { StreamStates } from './stream-states.js';
import { advisoryTrainerLock, postgresTrainingSource } from './training-ports.js';

/** What a warm container holds. Tests build these directly (small model knobs, their own servers). */
export interface DetectorDependencies {
  /**
   * Needs at least 2 connections: training holds one for the advisory lock and reads through another.
   * Use createPool (shared/db), whose connections cannot crash the process when the server dies mid-query.
   */
  readonly pool: pg.Pool;
  /** Model versions (S3ModelStore in production); `modelKey` names a version's artifact for the models table. */
  readonly modelStore: ModelStore & { modelKey(version: string): string };
  /** Training and refresh knobs over the defaults (trainingWindow, retryEvery, forest, …). */
  readonly policy?: ModelPolicyOverrides;
  /** Consumer metrics sink (a MetricsEmitter on the metrics topic); absent or null: no metrics. */
  readonly emitter?: Pick<MetricsEmitter, 'recordMetric' | 'flush'> | null;
  /** Default: Date.now. */
  readonly clock?: DetectorClock;
  /** Default: JSON lines on stdout. */
  readonly logger?: DetectorLogger;
}

export interface Detector {
  /** This container's model: the version it scores with, when it rechecks S3, when it trains. */
  readonly modelManager: ModelManager;
  /**
   * Processes one Lambda Kafka event and returns its summary. Throws ValidationError when the
   * payload is not a Kafka event, and InfrastructureError (after logging it) when PostgreSQL or,
   * with no model in hand, S3 fails — the batch is then redelivered and nothing of it is stored.
   */
  handle(event: unknown): Promise<DetectorSummary>;
}

const systemClock: DetectorClock = { now: () => Date.now() };

/**
 * Builds a detector around container-scoped dependencies. Calling it again with fresh
 * dependencies is a cold start: the new ModelManager knows no model until it reads S3.
 */
export function createDetector(deps: DetectorDependencies): Detector {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? createJsonLineLogger();
  const modelManager = new ModelManager({
    store: deps.modelStore,
    source: postgresTrainingSource(deps.pool),
    lock: advisoryTrainerLock(deps.pool),
    clock,
    logger,
    ...(deps.policy === undefined ? {} : { policy: deps.policy }),
  });
  const batch: BatchDependencies = {
    db: deps.pool,
    models: modelManager,
    streams: new StreamStates(deps.pool),
    artifactKey: (version) => deps.modelStore.modelKey(version),
    emitter: deps.emitter ?? null,
    clock,
    logger,
  };
  return {
    modelManager,
    async handle(event) {
      const startedAt = clock.now();
      const parsed = parseDetectorEvent(event);
      try {
        return await processBatch(parsed, batch, startedAt);
      } catch (error) {
        logger.error('detector batch failed; it is not stored and will be redelivered', {
          eventSource: parsed.eventSource,
          records: parsed.records.length,
          error: describeError(error),
        });
        throw error;
      }
    },
  };
}
