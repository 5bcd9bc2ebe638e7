import { OVERFLOW_TEMPLATE_ID, type TemplateMiner } from '../../templates/index.js';
import { LearnedCounts, ServiceProfile } from './learned-counts.js';
import { RarityTail } from './rarity-tail.js';
import { RARE_WORD_LIMIT, STREAM_TEMPLATE_ID_BASE, type FullStream } from './stream-state.js';

/**
 * The model's counts with what its streams learned since added in (a new model's starting point),
 * so knowledge outlives each model: services (records, warnings, errors, hours, templates),
 * template counts, the new and rare words, totals and the newest time. Shapes the model never saw
 * (ids from STREAM_TEMPLATE_ID_BASE) are filed in the new model's `miner` (which has learned the
 * training window) and counted under the id it gives them; past the miner's limit they are left
 * out. Commoner words keep their share of the records (their counts grow with them, as
 * CombinedCounts reads them). Message-length statistics stay the model's (streams do not measure
 * lengths). The rarity tails are rebuilt from the merged counts. `counts` is not changed.
 */
export function mergeStreams(counts: LearnedCounts, streams: readonly FullStream[], miner: TemplateMiner): LearnedCounts {
  const merged = new LearnedCounts();
  merged.total = counts.total;
  merged.lastTs = counts.lastTs;
  for (const [name, profile] of counts.services) merged.services.set(name, copyProfile(profile));
  for (const [id, seen] of counts.templates) merged.templates.set(id, seen);
  for (const [id, stats] of counts.lengths) merged.lengths.set(id, { ...stats });
  const records = streams.reduce((sum, stream) => sum + stream.records, counts.total);
  const growth = counts.total === 0 ? 1 : records / counts.total;
  for (const [word, seen] of counts.words) merged.words.set(word, seen > RARE_WORD_LIMIT ? Math.round(seen * growth) : seen);

  for (const stream of streams) {
    const filed = new Map<number, number | null>();
    const idOf = (id: number): number | null => {
      if (id < STREAM_TEMPLATE_ID_BASE) return id;
      let mapped = filed.get(id);
      if (mapped === undefined) {
        const key = stream.templateOf(id);
        const added = key === undefined ? OVERFLOW_TEMPLATE_ID : miner.addTokens(key.split(' ')).templateId;
        mapped = added === OVERFLOW_TEMPLATE_ID ? null : added;
        filed.set(id, mapped);
      }
      return mapped;
    };
    merged.total += stream.records;
    if (!(stream.lastTs <= merged.lastTs)) merged.lastTs = stream.lastTs;
    for (const [name, delta] of stream.services) {
      const profile = merged.profileOf(name);
      if (profile === undefined) continue;
      profile.count += delta.count;
      profile.alerts += delta.alerts;
      profile.errors += delta.errors;
      delta.hours.forEach((seen, hour) => (profile.hours[hour] = (profile.hours[hour] as number) + seen));
      for (const [streamId, seen] of delta.templates) {
        const id = idOf(streamId);
        if (id !== null) profile.templates.set(id, (profile.templates.get(id) ?? 0) + seen);
      }
    }
    for (const [streamId, seen] of stream.templates) {
      const id = idOf(streamId);
      if (id !== null) merged.templates.set(id, (merged.templates.get(id) ?? 0) + seen);
    }
    for (const [word, seen] of stream.words) merged.addWord(word, seen);
  }
  merged.serviceTail = RarityTail.of([...merged.services.values()].map((profile) => profile.count), merged.total);
  merged.templateTail = RarityTail.of(merged.templates.values(), merged.total);
  merged.wordTail = RarityTail.of(merged.words.values(), merged.total);
  return merged;
}

function copyProfile(profile: ServiceProfile): ServiceProfile {
  const copy = new ServiceProfile();
  copy.count = profile.count;
  copy.alerts = profile.alerts;
  copy.errors = profile.errors;
  copy.hours.set(profile.hours);
  for (const [id, seen] of profile.templates) copy.templates.set(id, seen);
  return copy;
}
