import { ValidationError } from '../../functions/shared/errors.js';
import { featureSetNamed, type FeatureSetName } from '../../functions/shared/features/index.js';
import type { LogRecord } from '../../functions/shared/log/index.js';
import { featureSchemaOf } from '../../functions/shared/model/model-artifact.js';
import { ModelManager, type TrainingSource } from '../../functions/shared/model/model-manager.js';
import type { ModelPolicyOverrides } from '../../functions/shared/model/model-policy.js';
import { scoreRows, type RecordScore } from '../../functions/shared/model/record-scoring.js';
import type { ThresholdRule } from '../../functions/shared/model/threshold-rule.js';
import { detectionMetrics, type DetectionMetrics } from './detection-metrics.js';
import type { Labels } from './labels.js';
import { MemoryModelStore } from './memory-model-store.js';

export interface EvaluationOptions {
  readonly featureSet: FeatureSetName;
  readonly thresholdRule: ThresholdRule;
  /** Model knobs over the detector's defaults (trainingWindow is capped at the record count). */
  readonly policy?: ModelPolicyOverrides;
  /** Records per detector invocation (a Kafka batch), default 100 (the MSK event source's default). */
  readonly batchSize?: number;
}

export interface EvaluationResult extends DetectionMetrics {
  readonly featureSet: FeatureSetName;
  readonly thresholdRule: ThresholdRule;
  /** Records stored before the first model; scored by it once it is trained (see below). */
  readonly warmup: number;
  /** Models trained during the replay. */
  readonly models: number;
  /** Wall time of feature extraction, training and scoring, ms. */
  readonly elapsedMs: number;
}

/**
 * Replays `records` in order through the detector's own model code: a ModelManager with the
 * detector's policy (training window, retraining, drift), the chosen feature set and threshold
 * rule, and a store that encodes and decodes every version like S3. Each batch is scored with the
 * current model, then "stored" (kept for training) and training runs when due. Labels are read
 * only to compute the metrics at the end.
 *
 * The warm-up records (stored before the first model existed) are scored by the first model from
 * their training rows: the live detector stores them unflagged instead, so on a stream much longer
 * than the training window the two agree, and on a short file evaluate still scores every line.
 */
export async function runEvaluation(records: readonly LogRecord[], labels: Labels, options: EvaluationOptions): Promise<EvaluationResult> {
  if (records.length === 0) throw new ValidationError('nothing to evaluate: the log file has no records');
  if (labels.anomalous.length !== records.length) {
    throw new ValidationError(`the labels file has ${labels.anomalous.length} lines but the log file has ${records.length}; they must match line for line`);
  }
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new ValidationError(`batch size must be a whole number from 1 to 10000, got ${String(batchSize)}`);
  const featureSet = featureSetNamed(options.featureSet);
  const trainingWindow = Math.max(2, Math.min(options.policy?.trainingWindow ?? 1000, records.length));
  const stored: LogRecord[] = [];
  const source: TrainingSource = {
    countRecords: async () => stored.length,
    recentRecords: async (limit) => stored.slice(Math.max(0, stored.length - limit)),
  };
  let tick = 0;
  const store = new MemoryModelStore(featureSchemaOf(featureSet));
  const manager = new ModelManager({
    store,
    source,
    lock: { tryRun: async (fn) => ({ acquired: true, value: await fn() }) },
    clock: { now: () => Date.UTC(2030, 0, 1) + 1000 * tick },
    // Simulated time (1 s per batch) is not the live detector's: no retrain floor (RETRAIN_MIN_SECONDS) here.
    policy: { ...options.policy, trainingWindow, recheckSeconds: 0, retrainMinSeconds: 0, featureSet: featureSet.name, thresholdRule: options.thresholdRule },
  });

  const scores = new Float64Array(records.length);
  const flags = new Uint8Array(records.length);
  const record = (offset: number, results: readonly RecordScore[]): void => {
    results.forEach((result, i) => {
      scores[offset + i] = result.score;
      flags[offset + i] = result.isAnomaly ? 1 : 0;
    });
  };
  let warmup = -1;
  const started = performance.now();
  for (let offset = 0; offset < records.length; offset += batchSize) {
    tick++;
    const batch = records.slice(offset, offset + batchSize);
    const results = await manager.scoreRecords(batch);
    if (results !== null) record(offset, results);
    stored.push(...batch);
    const outcome = await manager.maybeTrain(batch.length);
    if (outcome.action === 'trained' && warmup < 0) {
      warmup = stored.length;
      const model = manager.current();
      if (model === null) throw new Error('a trained model is not in service');
      const trainedFrom = stored.length - outcome.trainedOn.records.length;
      // Older warm-up records than the training window (at most a batch) are scored as a delivery.
      if (trainedFrom > 0) record(0, (await manager.scoreRecords(stored.slice(0, trainedFrom))) ?? []);
      record(trainedFrom, scoreRows(model, outcome.trainedOn.matrix, outcome.trainedOn.records.length, null, 0));
    }
  }
  const elapsedMs = performance.now() - started;
  if (warmup < 0) throw new ValidationError(`no model was trained over ${records.length} records (training window ${trainingWindow})`);
  return { ...detectionMetrics(scores, flags, labels), featureSet: featureSet.name, thresholdRule: options.thresholdRule, warmup, models: store.published, elapsedMs: Math.round(elapsedMs) };
}
