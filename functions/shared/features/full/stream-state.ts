import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { FULL_FEATURE_COUNT } from './full-definitions.js';
import { MAX_SERVICES, ServiceProfile, type LearnedCounts } from './learned-counts.js';
import { moveMass, TAIL_BINS } from './rarity-tail.js';
import { RecentIds } from './recent-ids.js';
import { MAX_STREAM_PENDING } from './window-step.js';
import { ServiceWindow, WINDOW_AHEAD, WINDOW_BACK, decodePending, encodePending, type StoredPendingAlert } from './service-window.js';

/**
 * What the full set learns from ONE ordered stream (a topic-partition) after its model was trained,
 * on top of the model's frozen counts: per service, its records, warnings, errors, hours and
 * templates since the model; per template, its records since the model (and the shape of those the
 * model never saw); the words the model never saw or saw at most RARE_WORD_LIMIT times (commoner
 * words keep the model's count: their rarity hardly moves); how the singleton counts of the rarity
 * tails moved; how many records it learned, its newest record time, and each
 * service's window of recent records. Counts measured are the model's plus the stream's, so a
 * stream keeps learning as a warm container used to, and its next batch is scored from its own past
 * only, whichever container scores it.
 *
 * Bounded: at most MAX_STREAM_SERVICES services, MAX_STREAM_TEMPLATES templates (new shapes' keys
 * cut at MAX_TEMPLATE_KEY characters), MAX_STREAM_WORDS words and MAX_SERVICES windows; past a
 * limit, what is not stored keeps the model's count (a new item keeps looking new). The state is
 * discarded when the stream moves to a newer model, whose training has learned the recent records.
 */
export const MAX_STREAM_SERVICES = 500;
export const MAX_STREAM_TEMPLATES = 2000;
export const MAX_STREAM_WORDS = 5000;
export const MAX_TEMPLATE_KEY = 256;
/** Words the model saw more often than this keep the model's count in a stream. */
export const RARE_WORD_LIMIT = 10;
/** Template ids of shapes new since the model: this bit set, the rest a hash of the shape (the model's own ids stay far below). */
export const STREAM_TEMPLATE_ID_BASE = 0x40000000;
/** Ids remembered by an in-memory stream to recognise redelivered records (a Lambda batch is at most 10,000). */
export const RECENT_ID_CAPACITY = 20_000;

/** What one record brings to a stream (record-measures.ts RecordFacts, and its template). */
export interface LearnedRecord {
  readonly service: string;
  readonly isAlert: boolean;
  readonly isError: boolean;
  readonly hour: number;
  readonly timeMs: number;
  readonly words: readonly string[];
  readonly templateId: number;
  /** The shape's key when the model never saw it. */
  readonly newShapeKey: string | null;
}

export class FullStream {
  /** Records learned since the model. */
  records = 0;
  /** Newest record time learned, ms since the epoch (NaN before the first). */
  lastTs = Number.NaN;
  readonly services = new Map<string, ServiceProfile>();
  /** Template id → records since the model. */
  readonly templates = new Map<number, number>();
  /** Shape key → template id, for shapes the model never saw. */
  readonly shapes = new Map<string, number>();
  /** Word → records containing it since the model (new or rare words only). */
  readonly words = new Map<string, number>();
  readonly windows = new Map<string, ServiceWindow>();
  /** How the model's count of items seen exactly once moved (may be negative). */
  serviceSingletons = 0;
  templateSingletons = 0;
  wordSingletons = 0;
  /** How the model's tail bin masses (rarity-tail.ts) of services, templates and words moved. */
  readonly serviceMass = new Float64Array(TAIL_BINS);
  readonly templateMass = new Float64Array(TAIL_BINS);
  readonly wordMass = new Float64Array(TAIL_BINS);
  /** Extract calls on this stream, counted from 0 in each process: tells a pending alert of the current batch from an older one. */
  serial = 0;
  /** Records pending in the windows, all services (window-step.ts MAX_STREAM_PENDING). */
  pending = 0;
  private readonly keyOfId = new Map<number, string>();

  /**
   * Ids learned recently, for streams kept in one process (evaluate, tests): a redelivered record is
   * measured but not learned twice. Not part of the stored state: the detector knows redeliveries
   * by their offsets.
   */
  constructor(readonly recent: RecentIds | null = null) {}

  static inMemory(): FullStream {
    return new FullStream(new RecentIds(RECENT_ID_CAPACITY));
  }

  /** The id of a shape the model does not know: stable (a hash of the shape), so every container and every delivery agrees. */
  shapeIdOf(tokens: readonly string[]): { id: number; key: string } {
    const key = templateKey(tokens);
    return { id: this.shapes.get(key) ?? STREAM_TEMPLATE_ID_BASE + (fnv1a(key) & (STREAM_TEMPLATE_ID_BASE - 1)), key };
  }

  templateOf(id: number): string | undefined {
    return this.keyOfId.get(id);
  }

  /** Learns one record against the model's `counts` (which the stream adds to). */
  learn(record: LearnedRecord, counts: LearnedCounts): void {
    this.records += 1;
    if (!(record.timeMs <= this.lastTs)) this.lastTs = record.timeMs;
    const base = counts.services.get(record.service);
    let delta = this.services.get(record.service);
    if (delta === undefined && this.services.size < MAX_STREAM_SERVICES) {
      delta = new ServiceProfile();
      this.services.set(record.service, delta);
    }
    if (delta !== undefined) {
      const before = (base?.count ?? 0) + delta.count;
      this.serviceSingletons += singletonMove(before);
      moveMass(this.serviceMass, before);
      delta.count += 1;
      if (record.isAlert) delta.alerts += 1;
      if (record.isError) delta.errors += 1;
      delta.hours[record.hour] = (delta.hours[record.hour] as number) + 1;
      delta.templates.set(record.templateId, (delta.templates.get(record.templateId) ?? 0) + 1);
    }
    const seen = this.templates.get(record.templateId);
    if (seen !== undefined || this.templates.size < MAX_STREAM_TEMPLATES) {
      const before = (counts.templates.get(record.templateId) ?? 0) + (seen ?? 0);
      this.templateSingletons += singletonMove(before);
      moveMass(this.templateMass, before);
      this.templates.set(record.templateId, (seen ?? 0) + 1);
      if (seen === undefined && record.newShapeKey !== null) this.restoreShape(record.newShapeKey, record.templateId);
    }
    for (const word of record.words) {
      const inModel = counts.words.get(word) ?? 0;
      if (inModel > RARE_WORD_LIMIT) continue;
      const since = this.words.get(word);
      if (since === undefined && this.words.size >= MAX_STREAM_WORDS) continue;
      this.wordSingletons += singletonMove(inModel + (since ?? 0));
      moveMass(this.wordMass, inModel + (since ?? 0));
      this.words.set(word, (since ?? 0) + 1);
    }
  }

  /** Puts back a stored shape (decodeFullStream) or files a new one. */
  restoreShape(key: string, id: number): void {
    this.shapes.set(key, id);
    this.keyOfId.set(id, key);
  }

  windowOf(service: string): ServiceWindow {
    let window = this.windows.get(service);
    if (window === undefined) {
      // Past MAX_SERVICES a service's window lives for one record only: nothing may wait in it.
      const kept = this.windows.size < MAX_SERVICES;
      window = new ServiceWindow(kept);
      if (kept) this.windows.set(service, window);
    }
    return window;
  }

  /** The state as plain JSON (see decodeFullStream). */
  encode(): FullStreamState {
    return {
      version: 1,
      records: this.records,
      lastTs: Number.isFinite(this.lastTs) ? this.lastTs : null,
      singletons: [this.serviceSingletons, this.templateSingletons, this.wordSingletons],
      masses: [sparseMass(this.serviceMass), sparseMass(this.templateMass), sparseMass(this.wordMass)],
      services: [...this.services].map(([name, delta]) => [name, delta.count, delta.alerts, delta.errors, sparseHours(delta.hours), [...delta.templates]]),
      templates: [...this.templates],
      shapes: [...this.shapes],
      words: [...this.words],
      windows: [...this.windows].map(([service, window]) => [service, window.entries()]),
      pending: [...this.windows].filter(([, window]) => window.pending.length > 0).map(([service, window]) => [service, window.pending.map(encodePending)]),
    };
  }
}

/** How the count of items seen exactly once moves when an item seen `before` times is seen again. */
function singletonMove(before: number): number {
  return before === 0 ? 1 : before === 1 ? -1 : 0;
}

function sparseMass(mass: Float64Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  mass.forEach((moved, bin) => {
    if (moved !== 0) out.push([bin, moved]);
  });
  return out;
}

function sparseHours(hours: Float64Array): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  hours.forEach((count, hour) => {
    if (count > 0) out.push([hour, count]);
  });
  return out;
}

/** A FullStream as stored (plain JSON). */
export interface FullStreamState {
  readonly version: 1;
  readonly records: number;
  readonly lastTs: number | null;
  /** How the singleton counts of services, templates and words moved. */
  readonly singletons: [number, number, number];
  /** How the tail bin masses of services, templates and words moved: [bin, change] pairs (absent in states written before masses were kept: none moved). */
  readonly masses?: [Array<[number, number]>, Array<[number, number]>, Array<[number, number]>];
  /** [service, records, WARN+, ERROR+, [hour, records] pairs, [template id, records] pairs]. */
  readonly services: Array<[string, number, number, number, Array<[number, number]>, Array<[number, number]>]>;
  /** [template id, records]. */
  readonly templates: Array<[number, number]>;
  /** [shape key, template id] of shapes the model never saw. */
  readonly shapes: Array<[string, number]>;
  readonly words: Array<[string, number]>;
  /** [service, [template id, severity 0–2] of its last records, oldest first]. */
  readonly windows: Array<[string, Array<[number, number]>]>;
  /** [service, its WARN-or-worse records still waiting for records after them (service-window.ts), oldest first]; absent: none. */
  readonly pending?: Array<[string, StoredPendingAlert[]]>;
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const positive = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const signed = z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);
const templateId = z.number().int().min(0).max(2 ** 31 - 1);
const name = z.string().min(1).max(4096);
const binMoves = z.array(z.tuple([z.number().int().min(1).max(TAIL_BINS - 1), signed])).max(TAIL_BINS);
const share = z.number().gt(0).lte(1);
const surprise = z.number().min(0).max(30);
const windowCount = z.number().int().min(0).max(WINDOW_BACK + WINDOW_AHEAD + 1);
const pendingAlert = z.tuple([
  z.number().int().min(-1).max(Number.MAX_SAFE_INTEGER),
  templateId,
  z.union([z.literal(1), z.literal(2)]),
  windowCount,
  windowCount,
  windowCount,
  share,
  share,
  z.number().int().min(1).max(WINDOW_AHEAD),
  windowCount,
  windowCount,
  surprise,
  surprise,
  z.array(z.number().min(0).max(1e6)).length(FULL_FEATURE_COUNT),
]);
const stateSchema = z.object({
  version: z.literal(1),
  records: count,
  lastTs: z.number().int().min(-8.64e15).max(8.64e15).nullable(),
  singletons: z.tuple([signed, signed, signed]),
  masses: z.tuple([binMoves, binMoves, binMoves]).optional(),
  services: z.array(z.tuple([name, count, count, count, z.array(z.tuple([z.number().int().min(0).max(23), positive])).max(24), z.array(z.tuple([templateId, positive])).max(MAX_STREAM_TEMPLATES)])).max(MAX_STREAM_SERVICES),
  templates: z.array(z.tuple([templateId, positive])).max(MAX_STREAM_TEMPLATES),
  shapes: z.array(z.tuple([z.string().max(MAX_TEMPLATE_KEY), z.number().int().min(STREAM_TEMPLATE_ID_BASE).max(2 ** 31 - 1)])).max(MAX_STREAM_TEMPLATES),
  words: z.array(z.tuple([z.string().min(1).max(256), positive])).max(MAX_STREAM_WORDS),
  windows: z.array(z.tuple([name, z.array(z.tuple([templateId, z.union([z.literal(0), z.literal(1), z.literal(2)])])).max(WINDOW_BACK)])).max(MAX_SERVICES),
  pending: z.array(z.tuple([name, z.array(pendingAlert).min(1).max(WINDOW_AHEAD)])).max(MAX_SERVICES).optional(),
});

/** Checks untrusted stream state JSON and rebuilds the stream; ValidationError names the problem. */
export function decodeFullStream(value: unknown): FullStream {
  const result = stateSchema.safeParse(value);
  if (!result.success) throw new ValidationError(`full feature stream state is invalid: ${z.prettifyError(result.error).slice(0, 400)}`, { cause: result.error });
  const state = result.data;
  const stream = new FullStream();
  stream.records = state.records;
  stream.lastTs = state.lastTs ?? Number.NaN;
  [stream.serviceSingletons, stream.templateSingletons, stream.wordSingletons] = state.singletons;
  if (state.masses !== undefined) {
    const [services, templates, words] = state.masses;
    for (const [bin, moved] of services) stream.serviceMass[bin] = moved;
    for (const [bin, moved] of templates) stream.templateMass[bin] = moved;
    for (const [bin, moved] of words) stream.wordMass[bin] = moved;
  }
  for (const [service, total, alerts, errors, hours, templates] of state.services) {
    if (stream.services.has(service)) throw new ValidationError('full feature stream state repeats a service');
    const delta = new ServiceProfile();
    delta.count = total;
    delta.alerts = alerts;
    delta.errors = errors;
    for (const [hour, seen] of hours) delta.hours[hour] = seen;
    for (const [id, seen] of templates) delta.templates.set(id, seen);
    stream.services.set(service, delta);
  }
  for (const [id, seen] of state.templates) stream.templates.set(id, seen);
  for (const [key, id] of state.shapes) stream.restoreShape(key, id);
  for (const [word, seen] of state.words) stream.words.set(word, seen);
  for (const [service, entries] of state.windows) stream.windows.set(service, ServiceWindow.from(entries));
  for (const [service, alerts] of state.pending ?? []) {
    const window = stream.windows.get(service);
    if (window === undefined || window.pending.length > 0) throw new ValidationError('full feature stream state has pending alerts of a service without a window, or twice');
    window.pending = alerts.map((alert) => decodePending(alert as StoredPendingAlert));
    stream.pending += alerts.length;
  }
  if (stream.pending > MAX_STREAM_PENDING) throw new ValidationError(`full feature stream state has ${stream.pending} pending alerts; at most ${MAX_STREAM_PENDING}`);
  return stream;
}

/** The key of a shape: its tokens joined by spaces, cut at MAX_TEMPLATE_KEY characters. */
function templateKey(tokens: readonly string[]): string {
  const key = tokens.join(' ');
  return key.length > MAX_TEMPLATE_KEY ? key.slice(0, MAX_TEMPLATE_KEY) : key;
}

/** 32-bit FNV-1a of the UTF-16 code units. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
