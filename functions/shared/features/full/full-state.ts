import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { restoreMiner, type MinerSnapshot, type TemplateMiner } from '../../templates/index.js';
import { LearnedCounts, MAX_SERVICES, MAX_VOCABULARY, ServiceProfile } from './learned-counts.js';
import { LEARNED_FLOOR_COLUMNS } from './record-measures.js';
import { RarityTail } from './rarity-tail.js';

/** The full set's learned state as stored with a model (plain JSON). */
export interface FullFeatureState {
  readonly version: 3;
  readonly miner: MinerSnapshot;
  readonly total: number;
  /** [name, count, alerts (WARN+), errors (ERROR+), 24 hour counts, [templateId, count] pairs]. */
  readonly services: Array<[string, number, number, number, number[], Array<[number, number]>]>;
  /** [word, records containing it]. */
  readonly words: Array<[string, number]>;
  /** [templateId, records]. */
  readonly templates: Array<[number, number]>;
  /** [templateId, n, mean, m2] of ln(1 + length). */
  readonly lengths: Array<[number, number, number, number]>;
  /** Learned floors of the rarity columns. */
  readonly floors: number[];
  /** Newest record time learned, ms since the epoch; null before the first record. */
  readonly lastTs: number | null;
}

export function encodeFullState(miner: TemplateMiner, counts: LearnedCounts, floors: readonly number[]): FullFeatureState {
  return {
    version: 3,
    miner: miner.snapshot(),
    total: counts.total,
    services: [...counts.services].map(([name, profile]) => [name, profile.count, profile.alerts, profile.errors, Array.from(profile.hours), [...profile.templates]]),
    words: [...counts.words],
    templates: [...counts.templates],
    lengths: [...counts.lengths].map(([id, stats]) => [id, stats.n, stats.mean, stats.m2]),
    floors: [...floors],
    lastTs: Number.isFinite(counts.lastTs) ? counts.lastTs : null,
  };
}

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const name = z.string().min(1).max(4096);
const stateSchema = z.object({
  version: z.literal(3),
  miner: z.unknown(),
  total: count,
  services: z.array(z.tuple([name, count, count, count, z.array(z.number().min(0).max(Number.MAX_SAFE_INTEGER)).length(24), z.array(z.tuple([count, count]))])).max(MAX_SERVICES),
  words: z.array(z.tuple([name, count])).max(MAX_VOCABULARY),
  templates: z.array(z.tuple([count, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)])),
  lengths: z.array(z.tuple([count, z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), z.number().min(0).max(100), z.number().min(0).max(1e15)])),
  floors: z.array(z.number().min(0).max(100)).length(LEARNED_FLOOR_COLUMNS.length),
  lastTs: z.number().int().min(-8.64e15).max(8.64e15).nullable(),
});

/** Checks untrusted state JSON and rebuilds its parts; ValidationError names the problem. */
export function decodeFullState(value: unknown): { miner: TemplateMiner; counts: LearnedCounts; floors: number[] } {
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
  for (const [id, seen] of state.templates) counts.templates.set(id, seen);
  for (const [id, n, mean, m2] of state.lengths) counts.lengths.set(id, { n, mean, m2 });
  counts.serviceTail = RarityTail.of([...counts.services.values()].map((profile) => profile.count), state.total);
  counts.templateTail = RarityTail.of(counts.templates.values(), state.total);
  counts.wordTail = RarityTail.of(counts.words.values(), 0);
  counts.wordTail.observations = state.total;
  counts.lastTs = state.lastTs ?? Number.NaN;
  return { miner, counts, floors: state.floors };
}
