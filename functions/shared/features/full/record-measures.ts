import type { LogLevel, LogRecord } from '../../log/log-record.js';
import { TRUNCATED, WILDCARD } from '../../templates/index.js';
import { ERROR_KEYWORD_PATTERN } from '../keywords.js';
import { utcTimeOfDay } from '../utc-time.js';
import type { CombinedCounts } from './combined-counts.js';
import type { LearnedCounts } from './learned-counts.js';

/** DEBUG 0 … FATAL 4. */
export const LEVEL_ORDINAL: Readonly<Record<LogLevel, number>> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, FATAL: 4 };

/** What one record contributes to learning and measuring, derived once. */
export interface RecordFacts {
  readonly tokens: string[];
  /** The message's distinct words (tokens that are not WILDCARD or TRUNCATED), in first-occurrence order. */
  readonly words: readonly string[];
  readonly hour: number;
  /** The record's time, ms since the epoch. */
  readonly timeMs: number;
  readonly logLength: number;
  /** WARN or worse. */
  readonly isAlert: boolean;
  /** ERROR or worse. */
  readonly isError: boolean;
}

export function factsOf(record: LogRecord, tokenize: (message: string) => string[]): RecordFacts {
  const tokens = tokenize(record.message);
  // At most maxTokens (40) tokens: a scan of the words so far costs less than building a Set per record.
  const words: string[] = [];
  for (const token of tokens) if (token !== WILDCARD && token !== TRUNCATED && !words.includes(token)) words.push(token);
  return { tokens, words, hour: utcTimeOfDay(record.ts).hour, timeMs: Date.parse(record.ts), logLength: Math.log1p(record.message.length), isAlert: record.level === 'WARN' || record.level === 'ERROR' || record.level === 'FATAL', isError: record.level === 'ERROR' || record.level === 'FATAL' };
}

const LENGTH_STD_FLOOR = 0.25;
const LENGTH_DEVIATION_CAP = 50;
/** Rarity features count only beyond 1 in 10^RARITY_FLOOR records (1 %): commoner is ordinary. */
export const RARITY_FLOOR = 2;
/** Length deviations count only beyond this many standard deviations. */
export const LENGTH_Z_FLOOR = 3;

const excess = (value: number, floor: number): number => (value > floor ? value - floor : 0);

/** Columns whose floor is learned from the training window (see fitFloors). */
export const LEARNED_FLOOR_COLUMNS = [0, 1, 2, 3, 4, 5] as const;
/**
 * The lowest floor of each learned column: rarities count beyond a chance of 1 in 100; length
 * deviations (already beyond 3 standard deviations) and odd characters beyond none (a system whose
 * message lengths are heavy-tailed, or that logs non-ASCII text, learns its own floor).
 */
export const MIN_FLOORS = [RARITY_FLOOR, RARITY_FLOOR, RARITY_FLOOR, RARITY_FLOOR, 0, 0] as const;

/**
 * hour_rarity counts only beyond an hour ten times quieter than the service's typical one. A fixed
 * floor, not a learned one: a training window that catches a stream moving into its next hours
 * would otherwise learn a floor from the stream's own progress.
 */
export const HOUR_FLOOR = 1;

/**
 * A record's hour of day says something only once the system's learned profile covers at least
 * HOURS_COVERED of the day's 24 hours, an hour counting when the system logged in it at least
 * HOUR_COVERED_SHARE of its busiest hour's records; or when the record is HOUR_BEHIND_MS (ms)
 * behind the newest time learned.
 */
export const HOURS_COVERED = 12;
export const HOUR_COVERED_SHARE = 0.05;
export const HOUR_BEHIND_MS = 3_600_000;

/**
 * Writes the raw per-record columns 0–6 of the full set (see full-definitions.ts) at `row`,
 * measured against what was learned before this record (it is learned after), so a training window
 * is measured exactly as the live stream will be; `floors` then turns each into its excess
 * (applyFloors). What was learned is the model's counts plus, when scoring, what the record's
 * stream learned since (combined-counts.ts); while training, the model's counts learn every record. Rarities are rarity-tail surprises (rarity-tail.ts), in decades.
 * `counted`: the record was learned already (a redelivery), so its own sighting is taken out.
 */
export function writeRecordColumns(record: LogRecord, facts: RecordFacts, template: MeasuredTemplate, counts: CombinedCounts, out: Float64Array, row: number, counted: boolean): void {
  const self = counted ? 1 : 0;
  const serviceCount = counts.serviceCount(record.service);
  out[row] = counts.serviceSurprise(serviceCount, counted);
  out[row + 1] = counts.templateSurprise(template.count, counted);
  out[row + 2] = template.count - self <= 0 || serviceCount - self <= 0 ? 0 : Math.log10((serviceCount - self + 2) / Math.max(1, counts.serviceTemplate(record.service, template.id) - self));
  out[row + 3] = rareWordSurprise(facts.words, counts, counted);
  out[row + 4] = excess(lengthDeviation(counts.model, template.id, facts.logLength), LENGTH_Z_FLOOR);
  out[row + 5] = oddCharacterShare(record.message);
  out[row + 6] = hourColumn(record.service, facts.hour, facts.timeMs, counts);
}

/** hour_rarity of a record against `counts` (column 6 of writeRecordColumns). */
export function hourRarityOf(record: LogRecord, counts: CombinedCounts): number {
  const timeMs = Date.parse(record.ts);
  return hourColumn(record.service, utcTimeOfDay(record.ts).hour, timeMs, counts);
}

function hourColumn(service: string, hour: number, timeMs: number, counts: CombinedCounts): number {
  return hourSaysSomething(counts, timeMs) && counts.serviceHours(service, hoursScratch) ? excess(hourRarity(hoursScratch, hour), HOUR_FLOOR) : 0;
}

/** Reused for every record's hourly counts (measuring is synchronous, one record at a time). */
const hoursScratch = new Float64Array(24);

/** A record's template as measured: its id and its records learned so far (the model's and its stream's). */
export interface MeasuredTemplate {
  readonly id: number;
  readonly count: number;
}

/**
 * The surprise of the message's rarest word, less log10 of its number of distinct words: a message
 * with many words has more chances to hold a rare one (Bonferroni), so the value stays a tail
 * probability of the message, not of its rarest part.
 */
function rareWordSurprise(words: readonly string[], counts: CombinedCounts, counted: boolean): number {
  if (words.length === 0) return 0;
  let fewest = Number.POSITIVE_INFINITY;
  for (const word of words) {
    const seen = counts.wordCount(word);
    if (seen < fewest) fewest = seen;
  }
  return Math.max(0, counts.wordSurprise(fewest, counted && fewest >= 1) - Math.log10(words.length));
}

/**
 * Time of day is evidence only once the clock has been through it: the system's profile covers
 * most of the day (HOURS_COVERED), or the record is over an hour behind the newest one (from an
 * hour the stream has passed). A stream that has logged for half an hour, or one burst and a
 * scatter of stragglers over weeks, and moves on into its next hours says nothing about them.
 */
function hourSaysSomething(counts: CombinedCounts, timeMs: number): boolean {
  return timeMs < counts.lastTs - HOUR_BEHIND_MS || counts.hoursCovered(HOUR_COVERED_SHARE) >= HOURS_COVERED;
}

/** Share of training rows a learned floor leaves at or below it. */
export const FLOOR_QUANTILE = 0.98;

/**
 * Learned floors, one per LEARNED_FLOOR_COLUMNS entry: the FLOOR_QUANTILE quantile of the column
 * over the training rows, and never below RARITY_FLOOR. A floor sits above what is ordinary in
 * this data (e.g. the many moderately rare templates a verbose service produces), whatever the
 * share of anomalies (as long as each kind of them stays under 1 − FLOOR_QUANTILE).
 */
export function fitFloors(matrix: Float64Array, rows: number, width: number): number[] {
  return LEARNED_FLOOR_COLUMNS.map((column, k) => {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) values[i] = matrix[i * width + column] as number;
    values.sort();
    const at = values.length === 0 ? 0 : (values[Math.min(rows - 1, Math.floor(FLOOR_QUANTILE * (rows - 1)))] as number);
    return Math.max(MIN_FLOORS[k] as number, at);
  });
}

/** Replaces the learned-floor columns of the row at `offset` by their excess over the floors (in place). */
export function applyFloorsAt(matrix: Float64Array, offset: number, floors: readonly number[]): void {
  for (let k = 0; k < LEARNED_FLOOR_COLUMNS.length; k++) {
    const at = offset + (LEARNED_FLOOR_COLUMNS[k] as number);
    matrix[at] = excess(matrix[at] as number, floors[k] as number);
  }
}

/** Replaces each learned-floor column by its excess over the floor (in place). */
export function applyFloors(matrix: Float64Array, rows: number, width: number, floors: readonly number[]): void {
  LEARNED_FLOOR_COLUMNS.forEach((column, k) => {
    const floor = floors[k] as number;
    for (let i = 0; i < rows; i++) matrix[i * width + column] = excess(matrix[i * width + column] as number, floor);
  });
}

function lengthDeviation(counts: LearnedCounts, templateId: number, logLength: number): number {
  const stats = counts.lengths.get(templateId);
  if (stats === undefined || stats.n < 2) return 0;
  const std = Math.max(Math.sqrt(stats.m2 / stats.n), LENGTH_STD_FLOOR);
  return Math.min(Math.abs(logLength - stats.mean) / std, LENGTH_DEVIATION_CAP);
}

/** A service's records in an hour and its neighbours, weights ¼ ½ ¼ (circular). */
function smoothedHour(hours: Float64Array, hour: number): number {
  return 0.25 * (hours[(hour + 23) % 24] as number) + 0.5 * (hours[hour] as number) + 0.25 * (hours[(hour + 1) % 24] as number);
}

/**
 * How much quieter the service usually is at this hour than at the hour of a typical record of
 * it: log10((typical + 0.5) / (smoothed count at this hour + 0.5)), where typical is the
 * record-weighted mean of the smoothed hourly counts. 0 or more; about 0 inside its usual hours.
 */
function hourRarity(hours: Float64Array, hour: number): number {
  let records = 0;
  let weighted = 0;
  for (let h = 0; h < 24; h++) {
    const count = hours[h] as number;
    if (count === 0) continue;
    records += count;
    weighted += count * smoothedHour(hours, h);
  }
  if (records === 0) return 0;
  return Math.max(0, Math.log10((weighted / records + 0.5) / (smoothedHour(hours, hour) + 0.5)));
}

/** Share of UTF-16 code units that are controls (not tab, LF, CR) or outside ASCII. */
export function oddCharacterShare(message: string): number {
  if (message.length === 0) return 0;
  let odd = 0;
  for (let i = 0; i < message.length; i++) {
    const code = message.charCodeAt(i);
    if ((code < 0x20 && code !== 9 && code !== 10 && code !== 13) || code >= 0x7f) odd++;
  }
  return odd / message.length;
}
