import { ValidationError } from '../../errors.js';
import type { LogRecord } from '../../log/log-record.js';
import { OVERFLOW_TEMPLATE_ID, TemplateMiner, tokenize } from '../../templates/index.js';
import type { ExtractedFeatures, FeatureExtractor, FeatureStream, FittedFeatures } from '../feature-set.js';
import { FULL_FEATURE_COUNT, fullFeatureNames } from './full-definitions.js';
import { decodeFullState, encodeFullState, type FullFeatureState } from './full-state.js';
import { LearnedCounts } from './learned-counts.js';
import { CombinedCounts } from './combined-counts.js';
import { applyFloors, applyFloorsAt, factsOf, fitFloors, hourRarityOf, writeRecordColumns } from './record-measures.js';
import { mergeStreams } from './merge-streams.js';
import { FullStream, decodeFullStream } from './stream-state.js';
import { measureWindows, type Revision, type WindowStepContext } from './window-step.js';
import { ServiceWindow } from './service-window.js';

const BURST_COLUMN = fullFeatureNames.indexOf('template_burst');
/** A placeholder until the first record's service window is set (never measured against). */
const NO_WINDOW = new ServiceWindow(false);
const HOUR_COLUMN = fullFeatureNames.indexOf('hour_rarity');

/**
 * The full feature set's extractor: the model's template miner, learned counts and floors, all
 * frozen once trained, measuring records of a stream (stream-state.ts) that learns what the model
 * never saw. Callers that keep one stream in memory (evaluate, tests) may omit it: the extractor
 * then uses a stream of its own, which recognises redeliveries by record id.
 */
export class FullFeatureExtractor implements FeatureExtractor {
  readonly featureSet = 'full' as const;
  private readonly ownStream = FullStream.inMemory();

  constructor(
    readonly miner: TemplateMiner,
    readonly counts: LearnedCounts,
    /** Learned floors (record-measures.ts fitFloors), fixed until the next training. */
    readonly floors: readonly number[],
  ) {}

  private readonly tokenizeMessage = (message: string): string[] => tokenize(message, this.miner.options.maxTokens);

  /**
   * Features of `records` (one stream, in order), each measured against the model's counts and what
   * `stream` learned before it, then learned into `stream` — except the first `alreadyLearned`
   * records (an earlier delivery learned them), and, for the extractor's own stream, records whose
   * id it learned recently. Records of the stream before them whose windows the records complete are
   * revised (window-step.ts), named by their `refs`.
   */
  extract(records: readonly LogRecord[], stream?: FeatureStream, alreadyLearned = 0, refs?: ArrayLike<number>): ExtractedFeatures {
    if (refs !== undefined && refs.length !== records.length) throw new ValidationError(`extract needs one ref per record (${records.length}), got ${refs.length}`);
    const into = stream === undefined ? this.ownStream : asFullStream(stream);
    into.serial += 1;
    const counts = new CombinedCounts(this.counts, into);
    const width = FULL_FEATURE_COUNT;
    const matrix = new Float64Array(records.length * width);
    const templateIds = new Int32Array(records.length);
    const revisions: Revision[] = [];
    const step: WindowStepContext = { window: NO_WINDOW, stream: into, counts, burstColumn: BURST_COLUMN, width, serial: into.serial, batchIndex: 0, ref: -1, revisions };
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as LogRecord;
      const facts = factsOf(record, this.tokenizeMessage);
      const fresh = i >= alreadyLearned && (into.recent === null || into.recent.add(record.id));
      const known = this.miner.matchTokens(facts.tokens);
      const shape = known === OVERFLOW_TEMPLATE_ID ? into.shapeIdOf(facts.tokens) : null;
      const id = shape?.id ?? known;
      // Measured against what came before it, then learned: a first sighting is measured as new.
      const offset = i * width;
      writeRecordColumns(record, facts, { id, count: counts.templateCount(id) }, counts, matrix, offset, !fresh);
      applyFloorsAt(matrix, offset, this.floors);
      step.window = into.windowOf(record.service);
      step.batchIndex = i;
      step.ref = refs === undefined ? -1 : (refs[i] as number);
      measureWindows(record, id, fresh, matrix, offset, step);
      if (fresh) into.learn({ service: record.service, isAlert: facts.isAlert, isError: facts.isError, hour: facts.hour, timeMs: facts.timeMs, words: facts.words, templateId: id, newShapeKey: shape?.key ?? null }, this.counts);
      templateIds[i] = id;
    }
    assertFinite(matrix, records);
    return revisions.length === 0 ? { matrix, templateIds } : { matrix, templateIds, revisions };
  }

  newStream(): FeatureStream {
    return new FullStream();
  }

  encodeStream(stream: FeatureStream): unknown {
    return asFullStream(stream).encode();
  }

  decodeStream(state: unknown): FeatureStream {
    return decodeFullStream(state);
  }

  templateOf(templateId: number, stream?: FeatureStream): string | undefined {
    return this.miner.templateOf(templateId) ?? (stream === undefined ? this.ownStream : asFullStream(stream)).templateOf(templateId);
  }

  /** The extractor's own stream (callers that pass none), for the next training to fold in. */
  get ownStreamLearned(): FullStream {
    return this.ownStream;
  }

  snapshot(): FullFeatureState {
    return encodeFullState(this.miner, this.counts, this.floors);
  }
}

function asFullStream(stream: FeatureStream): FullStream {
  if (!(stream instanceof FullStream)) throw new ValidationError('the full feature set needs a stream of its own (newStream or decodeStream)');
  return stream;
}

/**
 * Fits the full set on a training window, measuring it exactly as the live stream is measured:
 * record by record, each against what was learned before it (prequentially). The training rows then show how often this system produces something new (templates,
 * words, services), so the floors and the threshold learned from them expect that much novelty and
 * no more; measuring a window against counts that already include all of it would make every later
 * novelty look rarer than anything in training.
 * With `previous` (the extractor in service), its templates, counts and time-of-day profiles carry
 * over, so knowledge outlives the window and template ids stay stable. The window's records are
 * learned into the new model's counts (what streams learned since `previous` is not: each stream
 * starts afresh on the new model).
 */
export function fitFullFeatures(records: readonly LogRecord[], previous: FullFeatureExtractor | null, learned?: readonly FullStream[]): FittedFeatures {
  const inherited = previous === null ? null : decodeFullState(previous.snapshot());
  const miner = inherited?.miner ?? new TemplateMiner();
  const counts = inherited?.counts ?? new LearnedCounts();
  const tokenizeMessage = (message: string): string[] => tokenize(message, miner.options.maxTokens);
  // The windows only: while training, the counts themselves learn every record (a copy of the
  // previous model's, so the training rows are measured as the stream would have been). A training
  // row is the record's final one: its windows revised by the records after it in the window.
  const windows = new FullStream();
  const combined = new CombinedCounts(counts, windows);
  const width = FULL_FEATURE_COUNT;
  const matrix = new Float64Array(records.length * width);
  const revisions: Revision[] = [];
  const step: WindowStepContext = { window: NO_WINDOW, stream: windows, counts: combined, burstColumn: BURST_COLUMN, width, serial: 0, batchIndex: 0, ref: -1, revisions };
  records.forEach((record, i) => {
    const facts = factsOf(record, tokenizeMessage);
    const match = miner.addTokens(facts.tokens);
    const offset = i * width;
    writeRecordColumns(record, facts, { id: match.templateId, count: combined.templateCount(match.templateId) }, combined, matrix, offset, false);
    step.window = windows.windowOf(record.service);
    step.batchIndex = i;
    step.ref = i;
    measureWindows(record, match.templateId, true, matrix, offset, step);
    counts.learn(record.service, facts.isAlert, facts.isError, facts.hour, match.templateId, facts.words, facts.logLength, facts.timeMs);
    for (const { ref, row } of revisions) {
      matrix[ref * width + BURST_COLUMN] = row[BURST_COLUMN] as number;
      matrix[ref * width + BURST_COLUMN + 1] = row[BURST_COLUMN + 1] as number;
    }
    revisions.length = 0;
  });
  // Time of day is a calendar profile, not a novelty: the window's records define it together, so
  // their hour_rarity is measured against the whole window (the stream moving on into its next
  // hours is not something a training row should call rare, or the forest would learn it as normal).
  const whole = new CombinedCounts(counts, windows);
  records.forEach((record, i) => {
    matrix[i * width + HOUR_COLUMN] = hourRarityOf(record, whole);
  });
  const floors = fitFloors(matrix, records.length, width);
  applyFloors(matrix, records.length, width, floors);
  assertFinite(matrix, records);
  return { matrix, extractor: new FullFeatureExtractor(miner, modelCounts(previous, learned, counts, miner, records.length), floors) };
}

/**
 * The new model's counts. With a previous model whose streams learned at least half as many records
 * as the training window (they learned the window's records as they were scored), the previous
 * counts plus everything its streams learned; otherwise (a first model, or streams that saw little)
 * the previous counts plus the window, as measured above.
 */
function modelCounts(previous: FullFeatureExtractor | null, learned: readonly FullStream[] | undefined, windowCounts: LearnedCounts, miner: TemplateMiner, windowRecords: number): LearnedCounts {
  if (previous === null) return windowCounts;
  const streams = learned ?? [previous.ownStreamLearned];
  const streamRecords = streams.reduce((sum, stream) => sum + stream.records, 0);
  return streamRecords * 2 >= windowRecords ? mergeStreams(previous.counts, streams, miner) : windowCounts;
}

function assertFinite(matrix: Float64Array, records: readonly LogRecord[]): void {
  for (let i = 0; i < matrix.length; i++) {
    if (!Number.isFinite(matrix[i])) {
      const record = records[Math.floor(i / FULL_FEATURE_COUNT)];
      throw new ValidationError(`feature "${fullFeatureNames[i % FULL_FEATURE_COUNT]}" is not finite for record ${JSON.stringify(record?.id)}`);
    }
  }
}
