import { ValidationError } from '../../errors.js';
import type { LogRecord } from '../../log/log-record.js';
import { TemplateMiner, tokenize } from '../../templates/index.js';
import type { ExtractedFeatures, FeatureExtractor, FittedFeatures } from '../feature-set.js';
import { writeWindowColumns } from './batch-windows.js';
import { FULL_FEATURE_COUNT, fullFeatureNames } from './full-definitions.js';
import { LearnedCounts } from './learned-counts.js';
import { RecentIds } from './recent-ids.js';
import { applyFloors, factsOf, fitFloors, writeRecordColumns, type RecordFacts } from './record-measures.js';
import { decodeFullState, encodeFullState, type FullFeatureState } from './full-state.js';
import type { ServiceWindow } from './service-window.js';

/** Ids remembered to recognise redeliveries (a Lambda batch is at most 10,000 records). */
export const RECENT_ID_CAPACITY = 20_000;
const BURST_COLUMN = fullFeatureNames.indexOf('template_burst');

/**
 * The full feature set's extractor: a template miner, learned counts and per-service windows.
 * `extract` learns each new record (by id) before measuring it, so counts include it.
 */
export class FullFeatureExtractor implements FeatureExtractor {
  readonly featureSet = 'full' as const;
  private readonly recent = new RecentIds(RECENT_ID_CAPACITY);

  constructor(
    readonly miner: TemplateMiner,
    readonly counts: LearnedCounts,
    readonly windows: Map<string, ServiceWindow>,
    /** Learned floors (record-measures.ts fitFloors), fixed until the next training. */
    readonly floors: readonly number[],
  ) {}

  private readonly tokenizeMessage = (message: string): string[] => tokenize(message, this.miner.options.maxTokens);

  /** True when a record with this id was learned recently (by this extractor or its training). */
  hasLearned(id: string): boolean {
    return this.recent.has(id);
  }

  /** Marks ids as already learned (the training window's records). */
  rememberIds(records: readonly LogRecord[]): void {
    for (const record of records) this.recent.add(record.id);
  }

  extract(records: readonly LogRecord[]): ExtractedFeatures {
    const width = FULL_FEATURE_COUNT;
    const matrix = new Float64Array(records.length * width);
    const templateIds = new Int32Array(records.length);
    const learn = new Uint8Array(records.length);
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as LogRecord;
      const facts = factsOf(record, this.tokenizeMessage);
      const fresh = this.recent.add(record.id);
      const templateId = fresh ? this.miner.addTokens(facts.tokens).templateId : this.miner.matchTokens(facts.tokens);
      if (fresh) this.counts.learn(record.service, facts.isAlert, facts.isError, facts.hour, templateId, facts.words, facts.logLength);
      learn[i] = fresh ? 1 : 0;
      templateIds[i] = templateId;
      writeRecordColumns(record, facts, templateId, this.counts, matrix, i * width);
    }
    applyFloors(matrix, records.length, width, this.floors);
    writeWindowColumns(records, templateIds, learn, this.windows, this.counts, matrix, width, BURST_COLUMN);
    assertFinite(matrix, records);
    return { matrix, templateIds };
  }

  templateOf(templateId: number): string | undefined {
    return this.miner.templateOf(templateId);
  }

  snapshot(): FullFeatureState {
    return encodeFullState(this.miner, this.counts, this.windows, this.floors);
  }
}

/**
 * Fits the full set on a training window. Pass 1 learns every record the state has not learned yet
 * (with `previous`, the extractor in service, its templates, counts and time-of-day profiles carry
 * over, so knowledge outlives the window and template ids stay stable; the window's records it
 * already learned while scoring are not counted twice). Pass 2 measures every record against the
 * resulting counts (so no record looks novel merely for coming early in the window), learns the
 * rarity floors from those rows, and rebuilds the service windows, the whole window being one batch.
 */
export function fitFullFeatures(records: readonly LogRecord[], previous: FullFeatureExtractor | null): FittedFeatures {
  const inherited = previous === null ? null : decodeFullState(previous.snapshot());
  const miner = inherited?.miner ?? new TemplateMiner();
  const counts = inherited?.counts ?? new LearnedCounts();
  const tokenizeMessage = (message: string): string[] => tokenize(message, miner.options.maxTokens);
  const facts: RecordFacts[] = [];
  const templateIds = new Int32Array(records.length);
  records.forEach((record, i) => {
    const one = factsOf(record, tokenizeMessage);
    const known = previous?.hasLearned(record.id) === true;
    const templateId = known ? miner.matchTokens(one.tokens) : miner.addTokens(one.tokens).templateId;
    if (!known) counts.learn(record.service, one.isAlert, one.isError, one.hour, templateId, one.words, one.logLength);
    facts.push(one);
    templateIds[i] = templateId;
  });
  const width = FULL_FEATURE_COUNT;
  const matrix = new Float64Array(records.length * width);
  records.forEach((record, i) => writeRecordColumns(record, facts[i] as RecordFacts, templateIds[i] as number, counts, matrix, i * width));
  const floors = fitFloors(matrix, records.length, width);
  applyFloors(matrix, records.length, width, floors);
  const windows = new Map<string, ServiceWindow>();
  writeWindowColumns(records, templateIds, new Uint8Array(records.length).fill(1), windows, counts, matrix, width, BURST_COLUMN);
  assertFinite(matrix, records);
  const extractor = new FullFeatureExtractor(miner, counts, windows, floors);
  extractor.rememberIds(records);
  return { matrix, extractor };
}

function assertFinite(matrix: Float64Array, records: readonly LogRecord[]): void {
  for (let i = 0; i < matrix.length; i++) {
    if (!Number.isFinite(matrix[i])) {
      const record = records[Math.floor(i / FULL_FEATURE_COUNT)];
      throw new ValidationError(`feature "${fullFeatureNames[i % FULL_FEATURE_COUNT]}" is not finite for record ${JSON.stringify(record?.id)}`);
    }
  }
}
