import { InfrastructureError, ModelSchemaError, ValidationError } from '../errors.js';
import type { LogRecord } from '../log/index.js';
import type { LoadedModel, ModelManifest } from './model-artifact.js';
import { resolveModelPolicy, type ModelPolicy, type ModelPolicyOverrides } from './model-policy.js';
import { scoreWithModel, type BatchScores, type RecordScore } from './record-scoring.js';
import type { ModelStore } from './s3-model-store.js';
import { ScoreWindow, detectScoreShift } from './score-shift.js';
import type { StreamScoring, StreamSnapshot } from './stream-snapshot.js';
import { featureSetNamed } from '../features/index.js';
import { trainModelWithRows } from './train-model.js';
import { isProvisionalModel, refineAt } from './training-windows.js';

/** Where training data comes from (PostgreSQL in production). */
export interface TrainingSource {
  /** Log records stored so far, counted no further than `atMost` (the count a training waits for). */
  countRecords(atMost: number): Promise<number>;
  /** The newest `limit` stored records. */
  recentRecords(limit: number): Promise<LogRecord[]>;
  /**
   * The stored states of the streams scored with `modelVersion` (StreamSnapshot.state), which the
   * next model folds in. Absent where streams live in this process only (evaluate): the model's own
   * in-memory stream is folded in then.
   */
  learnedStreams?(modelVersion: string): Promise<unknown[]>;
}

/** Runs `fn` only if no other trainer anywhere is running (a PostgreSQL advisory lock in production). */
export interface TrainerLock {
  tryRun<T>(fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
}

/** Milliseconds since the Unix epoch (infra Clock and the tests' FakeClock fit). */
export interface ModelClock {
  now(): number;
}

export interface ModelLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/**
 * initial: no usable model; refine: the current model is provisional (fewer rows than trainingWindow)
 * and twice its rows are stored; scheduled: retrainEvery records scored by a full model; shift: its
 * scores drifted.
 */
export type TrainReason = 'initial' | 'refine' | 'scheduled' | 'shift';

export type TrainOutcome =
  /** No training due (model fresh enough or younger than retrainMinSeconds, or too few new records since the last attempt). */
  | { readonly action: 'none' }
  /**
   * Training was due but fewer than `needed` records are stored yet: firstTrainingWindow for the
   * first model, twice the provisional model's rows (at most trainingWindow) for a refinement,
   * trainingWindow for a retrain.
   */
  | { readonly action: 'skipped'; readonly reason: TrainReason; readonly available: number; readonly needed: number }
  /** Another trainer holds the lock; its model is picked up at a later recheck. */
  | { readonly action: 'locked'; readonly reason: TrainReason }
  /** Another trainer published while this one decided; the manager reloaded instead of training. */
  | { readonly action: 'superseded'; readonly reason: TrainReason; readonly version: string | null }
  /**
   * This manager trained, published and now scores with `manifest.version`; `trainedOn` holds the
   * training records and their feature rows (row-major, in the same order).
   */
  | {
      readonly action: 'trained';
      readonly reason: TrainReason;
      readonly detail: string;
      readonly manifest: ModelManifest;
      readonly trainedOn: { readonly records: readonly LogRecord[]; readonly matrix: Float64Array };
    };

export interface ModelManagerDeps {
  readonly store: ModelStore;
  readonly source: TrainingSource;
  readonly lock: TrainerLock;
  readonly clock: ModelClock;
  readonly policy?: ModelPolicyOverrides;
  readonly logger?: ModelLogger;
}

const silentLogger: ModelLogger = { info() {}, warn() {} };
/** Stands for a `latest` pointer that exists but cannot be parsed. */
const UNREADABLE_POINTER = '(unreadable pointer)';

/**
 * The model of one warm container: which version it scores with, when it looks for a newer one,
 * and when it trains. Call `scoreRecords` per batch, then `maybeTrain(stored)` with the number of
 * records the batch stored (also when no model exists: those records were stored unflagged).
 *
 *   ┌──────────┐  first training, < trainingWindow stored         ┌────────────────────────┐ ─┐ refine, still
 *   │ NO MODEL │ ───────────────────────────────────────────────→ │ SERVING vN PROVISIONAL │  │ < trainingWindow
 *   └──────────┘  (or refresh loads a provisional vN)             └────────────────────────┘ ←┘ rows
 *        │                                                                    │ refine reaching
 *        │ first training, ≥ trainingWindow stored                            │ trainingWindow rows
 *        │ (or refresh loads a full vN)                                       ▼
 *        └───────────────────────────────────────────────────────→ ┌───────────────────┐ ─┐ retrain
 *                                                                   │ SERVING vN (FULL) │  │
 *                                                                   └───────────────────┘ ←┘
 *
 *   first training: every retryEvery new records, ≥ firstTrainingWindow stored, lock won → train on
 *           the newest ≤ trainingWindow stored → publish → adopt.
 *   refine: min(2·rows(vN), trainingWindow) stored (checked every retryEvery new records; no retrain
 *           floor: at most log2(trainingWindow / firstTrainingWindow) + 1 of them), lock won → train
 *           → publish → adopt: 200 → 400 → 800 → 1,000.
 *   retrain (full vN only): vN ≥ retrainMinSeconds old, and retrainEvery records scored by vN or a
 *           score shift, lock won → train → publish → adopt.
 *   refresh, in any state (≤ once per recheckSeconds): pointer names a usable vM ≠ vN (another
 *           container trained, or rollback) → serve vM, provisional or full by its own rows.
 *
 * Provisional: a model trained on fewer rows than trainingWindow (its manifest's trainingWindow.rows,
 * so every container agrees). Only refinement replaces it — retrainEvery and the shift test apply
 * to full models. Every training reads the newest trainingWindow stored records, so a refinement
 * due late (a slow trainer, records arriving fast) may skip steps or reach a full model at once. Stored counts
 * come from the bounded countRecords(needed), never a count of the whole table.
 *
 * Retrain floor: vN's age is clock.now() − vN's manifest trainedAt, the same in every container that
 * serves vN, so none retrains a full vN before it is retrainMinSeconds old (0 = no floor), and
 * those that lose the race adopt the first retrain rather than train again (see the lock below).
 * While the floor holds, maybeTrain answers `none` and nothing is reset: the scored count keeps
 * growing and the shift window keeps sliding, so both are evaluated afresh on the first call after
 * the floor. Initial training (no usable model) never waits for it. A trainedAt ahead of this
 * container's clock (clock skew) lengthens the floor by the skew, no more.
 *
 * Invariants: a version that fails to load (corrupt, other feature schema) never scores; it is
 * logged once and the current model (if any) keeps scoring — with no model at all, the manager
 * trains a fresh one, which replaces the unusable pointer. Publishing never disturbs readers: they
 * keep their model until their next recheck. At most one trainer runs at a time (TrainerLock), and
 * a trainer that wins the lock first re-reads the pointer, adopting rather than duplicating a model
 * published meanwhile.
 */
export class ModelManager {
  private readonly policy: ModelPolicy;
  private readonly logger: ModelLogger;
  private model: LoadedModel | null = null;
  private window: ScoreWindow | null = null;
  /** Records scored by the current model. */
  private scoredByCurrent = 0;
  /** Sum of maybeTrain arguments, and its value at the last training attempt. */
  private recordsStored = 0;
  private lastAttemptAt: number | null = null;
  /** What `latest` named at the last read (undefined: never read). */
  private pointerSeen: string | null | undefined = undefined;
  private rejectedVersion: string | null = null;
  /** Clock time (ms) from which the pointer is read again. */
  private nextRecheckAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<TrainOutcome> | null = null;

  constructor(private readonly deps: ModelManagerDeps) {
    this.policy = resolveModelPolicy(deps.policy);
    this.logger = deps.logger ?? silentLogger;
  }

  /** The model scoring now, without touching the store. */
  current(): LoadedModel | null {
    return this.model;
  }

  /**
   * Re-reads the `latest` pointer when the recheck interval has passed (or `force`), loading the
   * version it names if that differs from the current one. Store failures with a model in hand are
   * logged and the model kept; with no model they throw (InfrastructureError: redeliver).
   */
  async refresh(force = false): Promise<LoadedModel | null> {
    const now = this.deps.clock.now();
    if (!force && now < this.nextRecheckAt) return this.model;
    try {
      const version = await this.readPointer();
      this.pointerSeen = version;
      if (version !== null && version !== UNREADABLE_POINTER && version !== this.model?.manifest.version && version !== this.rejectedVersion) {
        this.adopt(await this.deps.store.load(version), 'loaded');
      }
    } catch (error) {
      if (error instanceof ValidationError || error instanceof ModelSchemaError) {
        this.reject(this.pointerSeen ?? UNREADABLE_POINTER, error);
      } else if (error instanceof InfrastructureError && this.model !== null) {
        this.logger.warn('model store unreachable; keeping the current model', { version: this.model.manifest.version, error: error.message });
      } else {
        throw error;
      }
    }
    this.nextRecheckAt = now + this.policy.recheckSeconds * 1000;
    return this.model;
  }

  /** Scores `records` with the current model (after a due recheck); null when there is no model yet. */
  async scoreRecords(records: readonly LogRecord[]): Promise<RecordScore[] | null> {
    return (await this.scoreBatch(records))?.scores ?? null;
  }

  /**
   * Scores `records`, the next of the model's own in-memory stream (evaluate, tests), with the
   * current model (after a due recheck), and returns the late anomalies among the earlier records
   * that `refs` (one per record, ≥ 0) named when they were scored; null when there is no model yet.
   */
  async scoreBatch(records: readonly LogRecord[], refs?: ArrayLike<number>): Promise<BatchScores | null> {
    const model = await this.refresh();
    if (model === null) return null;
    const scored = scoreWithModel(model, records, this.policy.topContributors, undefined, 0, refs);
    for (const { score } of scored.scores) this.window?.push(score);
    this.scoredByCurrent += scored.scores.length;
    return scored;
  }

  /**
   * Scores records of ONE stream (a topic-partition, in offset order) with the current model (after
   * a due recheck), starting from `snapshot` (null: a new stream; a snapshot of another model
   * version, or one that does not decode, is dropped and the stream starts afresh on this model).
   * The first `alreadyLearned` records were learned by an earlier delivery: they are measured, not
   * learned again. `refs` name the records (the detector: Kafka offsets) so that later batches can
   * revise them: the result's `late` holds the earlier records this batch made anomalous (or more
   * so), by those refs. Returns the scores and the snapshot to store with them; null when there is
   * no model yet. The snapshot passed in is not changed.
   */
  async scoreStream(records: readonly LogRecord[], snapshot: StreamSnapshot | null, alreadyLearned: number, refs?: ArrayLike<number>): Promise<StreamScoring<RecordScore> | null> {
    const model = await this.refresh();
    if (model === null) return null;
    const { features, manifest } = model;
    let stream = features.newStream();
    if (snapshot !== null && snapshot.modelVersion === manifest.version) {
      try {
        stream = features.decodeStream(snapshot.state);
      } catch (error) {
        this.logger.warn('stored stream state unreadable; the stream starts afresh on the current model', { version: manifest.version, error: (error as Error).message });
      }
    }
    const learnedBefore = Math.max(0, Math.min(records.length, Math.floor(alreadyLearned)));
    const { scores, late } = scoreWithModel(model, records, this.policy.topContributors, stream, learnedBefore, refs);
    for (const { score } of scores) this.window?.push(score);
    this.scoredByCurrent += scores.length;
    return { scores, late, next: { modelVersion: manifest.version, state: features.encodeStream(stream) } };
  }

  /**
   * Call after storing a batch, with how many records it stored. Trains (and publishes) when due:
   * no model yet and `firstTrainingWindow` records stored; or — once the current model is
   * `retrainMinSeconds` old — a provisional model with twice its rows stored (refine), or a full one
   * with `retrainEvery` records scored by it or a score shift. Attempts are at least `retryEvery`
   * stored records apart; the training itself runs under the TrainerLock.
   * Throws what the ports throw (InfrastructureError when S3 or the database fails); the records
   * are already stored then, so a caller may log it and carry on — the next call tries again.
   */
  async maybeTrain(newRecords: number): Promise<TrainOutcome> {
    if (!Number.isInteger(newRecords) || newRecords < 0) throw new ValidationError(`maybeTrain needs a record count >= 0, got ${String(newRecords)}`);
    this.recordsStored += newRecords;
    if (this.inFlight !== null) return this.inFlight;
    this.inFlight = this.attemptIfDue().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async attemptIfDue(): Promise<TrainOutcome> {
    const model = await this.refresh();
    const due = this.dueReason(model);
    if (due === null) return { action: 'none' };
    this.lastAttemptAt = this.recordsStored;
    const { reason, needed } = due;
    const available = await this.deps.source.countRecords(needed);
    if (available < needed) return { action: 'skipped', reason, available, needed };
    const result = await this.deps.lock.tryRun(() => this.trainUnderLock(due.reason, due.detail));
    return result.acquired ? result.value : { action: 'locked', reason };
  }

  /** Why a training is due and how many stored records it waits for; null when none is due. */
  private dueReason(model: LoadedModel | null): { reason: TrainReason; detail: string; needed: number } | null {
    const sinceAttempt = this.lastAttemptAt === null ? Number.POSITIVE_INFINITY : this.recordsStored - this.lastAttemptAt;
    if (sinceAttempt < this.policy.retryEvery) return null;
    const { trainingWindow, retrainEvery } = this.policy;
    if (model === null) return { reason: 'initial', detail: 'no usable model', needed: this.policy.firstTrainingWindow };
    const { version } = model.manifest;
    const rows = model.manifest.trainingWindow.rows;
    // Refinements are few (each at least doubles the rows) and a provisional model should not serve
    // a fast stream for a whole retrain floor: they do not wait for it.
    if (isProvisionalModel(rows, trainingWindow)) {
      return { reason: 'refine', detail: `provisional ${version} trained on ${rows} of ${trainingWindow} records`, needed: refineAt(rows, trainingWindow) };
    }
    if (this.deps.clock.now() - Date.parse(model.manifest.trainedAt) < this.policy.retrainMinSeconds * 1000) return null;
    if (retrainEvery > 0 && this.scoredByCurrent >= retrainEvery) {
      return { reason: 'scheduled', detail: `${this.scoredByCurrent} records scored by ${version} (retrainEvery ${retrainEvery})`, needed: trainingWindow };
    }
    const verdict = this.window === null ? { shifted: false as const } : detectScoreShift(this.window, model.manifest, this.policy.shift);
    return verdict.shifted ? { reason: 'shift', detail: verdict.reason, needed: trainingWindow } : null;
  }

  private async trainUnderLock(reason: TrainReason, detail: string): Promise<TrainOutcome> {
    const latest = await this.readPointer();
    if (latest !== this.pointerSeen) {
      await this.refresh(true);
      return { action: 'superseded', reason, version: latest };
    }
    const records = await this.deps.source.recentRecords(this.policy.trainingWindow);
    const previousVersion = this.model?.manifest.version;
    const learnedSince = previousVersion === undefined || this.deps.source.learnedStreams === undefined ? undefined : await this.deps.source.learnedStreams(previousVersion);
    const { model: trained, matrix } = trainModelWithRows(records, {
      ...(learnedSince === undefined ? {} : { learnedSince }),
      contamination: this.policy.contamination,
      forest: this.policy.forest,
      now: new Date(this.deps.clock.now()),
      featureSet: featureSetNamed(this.policy.featureSet),
      previous: this.model?.features ?? null,
      thresholdRule: this.policy.thresholdRule,
    });
    const manifest = await this.deps.store.publish(trained);
    this.adopt({ manifest, forest: trained.forest, features: trained.features }, 'trained');
    this.pointerSeen = manifest.version;
    this.logger.info('model trained and published', { version: manifest.version, reason, detail, rows: manifest.trainingWindow.rows });
    return { action: 'trained', reason, detail, manifest, trainedOn: { records, matrix } };
  }

  /** The version `latest` names; UNREADABLE_POINTER when it holds garbage. */
  private async readPointer(): Promise<string | null> {
    try {
      return await this.deps.store.readLatestPointer();
    } catch (error) {
      if (error instanceof ValidationError) {
        this.reject(UNREADABLE_POINTER, error);
        return UNREADABLE_POINTER;
      }
      throw error;
    }
  }

  private adopt(model: LoadedModel, how: 'loaded' | 'trained'): void {
    const previous = this.model?.manifest.version ?? null;
    this.model = model;
    this.window = new ScoreWindow(this.policy.shift.window, model.manifest.threshold);
    this.scoredByCurrent = 0;
    this.nextRecheckAt = this.deps.clock.now() + this.policy.recheckSeconds * 1000;
    this.logger.info(`model ${how}`, { version: model.manifest.version, previous });
  }

  private reject(version: string, error: Error): void {
    if (this.rejectedVersion === version) return;
    this.rejectedVersion = version;
    this.logger.warn('model version unusable; not scoring with it', { version, kept: this.model?.manifest.version ?? null, error: error.message });
  }
}
