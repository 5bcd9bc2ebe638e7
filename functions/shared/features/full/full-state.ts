import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { restoreMiner, type MinerSnapshot, type TemplateMiner } from '../../templates/index.js';
import { LearnedCounts, MAX_SERVICES, MAX_VOCABULARY, ServiceProfile } from './learned-counts.js';
import { LEARNED_FLOOR_COLUMNS } from './record-measures.js';
import { ServiceWindow, WINDOW_BACK } from './service-window.js';

/** The full set's learned state as stored with a model (plain JSON). */
export interface FullFeatureState {
  readonly version: 2;
  readonly miner: MinerSnapshot;
  readonly total: number;
  /** [name, count, alerts (WARN+), errors (ERROR+), 24 hour counts, [templateId, count] pairs]. */
  readonly services: Array<[string, number, number, number, number[], Array<[number, number]>]>;
  /** [word, records containing it]. */
  readonly words: Array<[string, number]>;
  /** [templateId, n, mean, m2] of ln(1 + length). */
  readonly lengths: Array<[number, number, number, number]>;
  /** [service, [template id, severity 0–2] of its last records, oldest first]. */
  readonly windows: Array<[string, Array<[number, number]>]>;
  /** Learned floors of the rarity columns. */
  readonly floors: number[];
}

export function encodeFullState(miner: TemplateMiner, counts: LearnedCounts, windows: ReadonlyMap<string, ServiceWindow>, floors: readonly number[]): FullFeatureState {
  return {
    version: 2,
    miner: miner.snapshot(),
    total: counts.total,
    services: [...counts.services].map(([name, profile]) => [name, profile.count, profile.alerts, profile.errors, Array.from(profile.hours), [...profile.templates]]),
    words: [...counts.words],
    lengths: [...counts.lengths].map(([id, stats]) => [id, stats.n, stats.mean, stats.m2]),
    windows: [...windows].map(([service, window]) => [service, window.entries()]),
    floors: [...floors],
  };
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const name = z.string().min(1).max(4096);
const stateSchema = z.object({
  version: z.literal(2),
  miner: z.unknown(),
  total: count,
  services: z.array(z.tuple([name, count, count, count, z.array(z.number().min(0).max(Number.MAX_SAFE_INTEGER)).length(24), z.array(z.tuple([count, count]))])).max(MAX_SERVICES),
  words: z.array(z.tuple([name, count])).max(MAX_VOCABULARY),
  lengths: z.array(z.tuple([count, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.number().min(0).max(100), z.number().min(0).max(1e15)])),
  windows: z.array(z.tuple([name, z.array(z.tuple([z.number().int().min(0).max(2 ** 31 - 1), z.union([z.literal(0), z.literal(1), z.literal(2)])])).max(WINDOW_BACK)])).max(MAX_SERVICES),
  floors: z.array(z.number().min(0).max(100)).length(LEARNED_FLOOR_COLUMNS.length),
});

/** Checks untrusted state JSON and rebuilds its parts; ValidationError names the problem. */
export function decodeFullState(value: unknown): { miner: TemplateMiner; counts: LearnedCounts; windows: Map<string, ServiceWindow>; floors: number[] } {
  const result = stateSchema.safeParse(value);
  if (!result.success) throw new ValidationError(`full feature state is invalid: ${z.prettifyError(result.error).slice(0, 400)}`, { cause: result.error });
  const state = result.data;
  const miner = restoreMiner(state.miner);
  const counts = new LearnedCounts();
  counts.total = state.total;
  for (const [service, total, alerts, errors, hours, templates] of state.services) {
    if (counts.services.has(service)) throw new ValidationError(`full feature state repeats service ${JSON.stringify(service.slice(0, 64))}`);
    const profile = new ServiceProfile();
    profile.count = total;
    profile.alerts = alerts;
    profile.errors = errors;
    hours.forEach((value, hour) => (profile.hours[hour] = value));
    for (const [id, seen] of templates) profile.templates.set(id, seen);
    counts.services.set(service, profile);
  }
  for (const [word, seen] of state.words) counts.words.set(word, seen);
  for (const [id, n, mean, m2] of state.lengths) counts.lengths.set(id, { n, mean, m2 });
  const windows = new Map<string, ServiceWindow>();
  for (const [service, entries] of state.windows) windows.set(service, ServiceWindow.from(entries));
  return { miner, counts, windows, floors: state.floors };
}
