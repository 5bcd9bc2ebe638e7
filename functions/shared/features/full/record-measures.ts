import type { LogLevel, LogRecord } from '../../log/log-record.js';
import { TRUNCATED, WILDCARD } from '../../templates/index.js';
import { ERROR_KEYWORD_PATTERN } from '../keywords.js';
import { utcTimeOfDay } from '../utc-time.js';
import type { LearnedCounts } from './learned-counts.js';

/** DEBUG 0 … FATAL 4. */
export const LEVEL_ORDINAL: Readonly<Record<LogLevel, number>> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3, FATAL: 4 };

/** What one record contributes to learning and measuring, derived once. */
export interface RecordFacts {
  readonly tokens: string[];
  /** The message's distinct words (tokens that are not WILDCARD or TRUNCATED), in first-occurrence order. */
  readonly words: readonly string[];
  readonly hour: number;
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
  return { tokens, words, hour: utcTimeOfDay(record.ts).hour, logLength: Math.log1p(record.message.length), isAlert: record.level === 'WARN' || record.level === 'ERROR' || record.level === 'FATAL', isError: record.level === 'ERROR' || record.level === 'FATAL' };
}

const LENGTH_STD_FLOOR = 0.25;
const LENGTH_DEVIATION_CAP = 50;
/** Rarity features count only beyond 1 in 10^RARITY_FLOOR records (1 %): commoner is ordinary. */
export const RARITY_FLOOR = 2;
/** Length deviations count only beyond this many standard deviations. */
export const LENGTH_Z_FLOOR = 3;

const excess = (value: number, floor: number): number => (value > floor ? value - floor : 0);

/** Columns whose floor is learned from the training window (see fitFloors). */
export const LEARNED_FLOOR_COLUMNS = [0, 1, 2, 3, 6] as const;
/**
 * The lowest floor of each learned column: rarities count beyond 1 in 100 records; hour_rarity
 * beyond an hour ten times quieter than the service's typical one.
 */
export const MIN_FLOORS = [RARITY_FLOOR, RARITY_FLOOR, RARITY_FLOOR, RARITY_FLOOR, 1] as const;

/**
 * Writes the raw per-record columns 0–6 of the full set (see full-definitions.ts) at `row`,
 * measured against `counts` (which already include this record when it was learned); `floors`
 * then turns each into its excess (applyFloors).
 */
export function writeRecordColumns(record: LogRecord, facts: RecordFacts, templateId: number, counts: LearnedCounts, out: Float64Array, row: number): void {
  const total = counts.total + 1;
  const profile = counts.services.get(record.service);
  const serviceCount = Math.max(1, profile?.count ?? 0);
  out[row] = Math.log10(total / serviceCount);
  out[row + 1] = Math.log10(total / Math.max(1, counts.lengths.get(templateId)?.n ?? 0));
  out[row + 2] = Math.log10((serviceCount + 1) / Math.max(1, profile?.templates.get(templateId) ?? 0));
  let rarest = 0;
  for (const word of facts.words) {
    const rarity = Math.log10(total / Math.max(1, counts.words.get(word) ?? 0));
    if (rarity > rarest) rarest = rarity;
  }
  out[row + 3] = rarest;
  out[row + 4] = excess(lengthDeviation(counts, templateId, facts.logLength), LENGTH_Z_FLOOR);
  out[row + 5] = oddCharacterShare(record.message);
  out[row + 6] = hourRarity(profile?.hours, facts.hour);
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
function hourRarity(hours: Float64Array | undefined, hour: number): number {
  if (hours === undefined) return 0;
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
