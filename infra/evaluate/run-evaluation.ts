import { ValidationError } from '../../functions/shared/errors.js';
import { featureSetNamed, type FeatureSetName } from '../../functions/shared/features/index.js';
import type { LogRecord } from '../../functions/shared/log/index.js';
import { featureSchemaOf } from '../../functions/shared/model/model-artifact.js';
import { ModelManager, type TrainingSource } from '../../functions/shared/model/model-manager.js';
import { defaultModelPolicy, type ModelPolicyOverrides } from '../../functions/shared/model/model-policy.js';
import { scoreRows, type LateScore, type RecordScore } from '../../functions/shared/model/record-scoring.js';
import type { ThresholdRule } from '../../functions/shared/model/threshold-rule.js';
import { detectionMetrics, type DetectionMetrics } from './detection-metrics.js';
import { TopFlagged, explainLines, type ExplainedLine } from './explain.js';
import type { Labels } from './labels.js';
import { MemoryModelStore } from './memory-model-store.js';

/** Most records a training part trains the first model on (the policy's largest training window). */
export const MAX_TRAINING_RECORDS = 1_000_000;

/** What the first model is trained on; without one, the input's own first records (in-sample). */
export type TrainingPart =
  /** The input's first `lines` records: stored, trained on, never scored; the rest is scored. */
  | { readonly kind: 'lines'; readonly lines: number }
  /** Other records (a training file): stored and trained on; the whole input is scored. */
  | { readonly kind: 'records'; readonly records: readonly LogRecord[] };

export type EvaluationMode = 'in-sample' | 'train-lines' | 'train-file';

export interface EvaluationOptions {
  readonly featureSet: FeatureSetName;
  readonly thresholdRule: ThresholdRule;
  /** Model knobs over the detector's defaults (trainingWindow is capped at the record count; a training part sets its own). */
  readonly policy?: ModelPolicyOverrides;
  /** Records per detector invocation (a Kafka batch), default 100 (the MSK event source's default). */
  readonly batchSize?: number;
  readonly training?: TrainingPart;
  /** List the `top` highest-scoring flagged scored lines; `lineText` gives a line's text by index (default: the record's message). */
  readonly explain?: { readonly top: number; readonly lineText?: (index: number) => string };
}

export interface EvaluationResult extends DetectionMetrics {
  readonly mode: EvaluationMode;
  /** Records the first model was trained on in a training part; 0 in-sample. */
  readonly trainedOn: number;
  /** First line the metrics cover, from 1 (n lines from there). */
  readonly scoredFrom: number;
  readonly featureSet: FeatureSetName;
  readonly thresholdRule: ThresholdRule;
  /** Records stored before the first model. */
  readonly warmup: number;
  /** Models trained during the replay (the first one included). */
  readonly models: number;
  /** Wall time of feature extraction, training and scoring, ms. */
  readonly elapsedMs: number;
  /** With options.explain: the top flagged scored lines, highest score first. */
  readonly explain?: readonly ExplainedLine[];
}

/**
 * Replays `records` in order through the detector's own model code: a ModelManager with the
 * detector's policy (training window, retraining, drift), the chosen feature set and threshold
 * rule, and a store that encodes and decodes every version like S3. Each batch is scored with the
 * current model, then "stored" (kept for training) and training runs when due. Labels are read
 * only to compute the metrics at the end.
 *
 * With a training part (`options.training`), it is what the live detector does first: the
 * training records are stored unflagged while no model exists, and the first model is trained on
 * exactly them (training window = their count); then the scored records follow in batches and the
 * manager retrains as its policy says. Metrics cover the scored records only.
 *
 * Without one (in-sample), the warm-up records (stored before the first model existed) are scored
 * by the first model from their training rows: the live detector stores them unflagged instead,
 * so on a stream much longer than the training window the two agree, and on a short file evaluate
 * still scores every line.
 */
export async function runEvaluation(records: readonly LogRecord[], labels: Labels, options: EvaluationOptions): Promise<EvaluationResult> {
  if (records.length === 0) throw new ValidationError('nothing to evaluate: the log file has no records');
  if (labels.anomalous.length !== records.length) {
    throw new ValidationError(`the labels file has ${labels.anomalous.length} lines but the log file has ${records.length}; they must match line for line`);
  }
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new ValidationError(`batch size must be a whole number from 1 to 10000, got ${String(batchSize)}`);
  const { training } = options;
  let trainPart: readonly LogRecord[] = [];
  let scoredFromIndex = 0;
  if (training?.kind === 'lines') {
    const { lines } = training;
    if (!Number.isInteger(lines) || lines < 2 || lines >= records.length) {
      throw new ValidationError(`--train-lines must be a whole number from 2 to ${records.length - 1} (the log file has ${records.length} lines and at least one must be left to score), got ${String(lines)}`);
    }
    trainPart = records.slice(0, lines);
    scoredFromIndex = lines;
  } else if (training?.kind === 'records') {
    if (training.records.length < 2) throw new ValidationError(`the training file has ${training.records.length} record; the first model needs at least 2`);
    trainPart = training.records;
  }
  const mode: EvaluationMode = training === undefined ? 'in-sample' : training.kind === 'lines' ? 'train-lines' : 'train-file';
  const featureSet = featureSetNamed(options.featureSet);
  const trainingWindow =
    training === undefined ? Math.max(2, Math.min(options.policy?.trainingWindow ?? 1000, records.length)) : Math.min(trainPart.length, MAX_TRAINING_RECORDS);
  // With a training part, the first model is trained on all of it (a full model, not a provisional
  // one). In-sample runs as the detector does: a provisional first model after firstTrainingWindow
  // records (the detector's default unless the caller's policy sets one), refined as records arrive.
  const firstTrainingWindow = training === undefined ? Math.min(trainingWindow, options.policy?.firstTrainingWindow ?? defaultModelPolicy.firstTrainingWindow) : trainingWindow;
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
    policy: { ...options.policy, trainingWindow, firstTrainingWindow, recheckSeconds: 0, retrainMinSeconds: 0, featureSet: featureSet.name, thresholdRule: options.thresholdRule },
  });

  const scored = scoredFromIndex === 0 ? records : records.slice(scoredFromIndex);
  const scores = new Float64Array(scored.length);
  const flags = new Uint8Array(scored.length);
  const top = options.explain === undefined ? null : new TopFlagged(options.explain.top);
  const topContributors = options.explain === undefined ? 0 : (options.policy?.topContributors ?? defaultModelPolicy.topContributors);
  /** Keeps the verdicts of scored[offset…]. */
  const record = (offset: number, results: readonly RecordScore[]): void => {
    const model = manager.current();
    const templateOf = (id: number) => model?.features.templateOf(id);
    results.forEach((result, i) => {
      scores[offset + i] = result.score;
      flags[offset + i] = result.isAnomaly ? 1 : 0;
      top?.offer(scoredFromIndex + offset + i, result, templateOf);
    });
  };
  /** A late verdict on scored[ref] (an earlier batch's record, revised by the records after it): the better one stands (record-scoring.ts better). */
  const revise = (late: readonly LateScore[]): void => {
    for (const { ref, score } of late) {
      if (flags[ref] === 1 && (scores[ref] as number) >= score.score) continue;
      scores[ref] = score.score;
      flags[ref] = 1;
      top?.offer(scoredFromIndex + ref, score, (id) => manager.current()?.features.templateOf(id));
    }
  };
  let warmup = -1;
  const started = performance.now();
  if (training !== undefined) {
    // The live detector stores these unflagged (no model yet); training is due once they all are.
    for (const one of trainPart) stored.push(one);
    tick += Math.ceil(trainPart.length / batchSize);
    const outcome = await manager.maybeTrain(trainPart.length);
    if (outcome.action !== 'trained') throw new Error(`the first model was not trained on the ${trainPart.length} training records (${outcome.action})`);
    warmup = stored.length;
  }
  for (let offset = 0; offset < scored.length; offset += batchSize) {
    tick++;
    const batch = scored.slice(offset, offset + batchSize);
    // Refs: the records' places in `scored`, so that a later batch's late verdicts find them.
    const results = await manager.scoreBatch(batch, Float64Array.from(batch, (_, i) => offset + i));
    if (results !== null) {
      record(offset, results.scores);
      revise(results.late);
    }
    for (const one of batch) stored.push(one);
    const outcome = await manager.maybeTrain(batch.length);
    if (outcome.action === 'trained' && warmup < 0) {
      warmup = stored.length;
      const model = manager.current();
      if (model === null) throw new Error('a trained model is not in service');
      const trainedFrom = stored.length - outcome.trainedOn.records.length;
      // Older warm-up records than the training window (at most a batch) are scored as a delivery.
      if (trainedFrom > 0) record(0, (await manager.scoreRecords(stored.slice(0, trainedFrom))) ?? []);
      record(trainedFrom, scoreRows(model, outcome.trainedOn.matrix, outcome.trainedOn.records.length, null, topContributors));
    }
  }
  const elapsedMs = performance.now() - started;
  if (warmup < 0) throw new ValidationError(`no model was trained over ${records.length} records (training window ${trainingWindow})`);
  const scoredLabels: Labels = scoredFromIndex === 0 ? labels : { anomalous: labels.anomalous.slice(scoredFromIndex), kinds: labels.kinds.slice(scoredFromIndex) };
  const lineText = options.explain?.lineText ?? ((index: number) => (records[index] as LogRecord).message);
  return {
    mode,
    trainedOn: training === undefined ? 0 : trainingWindow,
    scoredFrom: scoredFromIndex + 1,
    ...detectionMetrics(scores, flags, scoredLabels),
    featureSet: featureSet.name,
    thresholdRule: options.thresholdRule,
    warmup,
    models: store.published,
    elapsedMs: Math.round(elapsedMs),
    ...(top === null ? {} : { explain: explainLines(top, labels, lineText) }),
  };
}
