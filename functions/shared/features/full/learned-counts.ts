import { RarityTail } from './rarity-tail.js';

/**
 * What the full feature set learns from the records it sees: how often each service, template,
 * (service, template) pair, word and hour of day occurs, and each template's message lengths.
 * Bounded: at most MAX_SERVICES services and MAX_VOCABULARY words are tracked; past that, new ones
 * are not stored (they keep looking as rare as a first sighting).
 */
export const MAX_SERVICES = 2000;
export const MAX_VOCABULARY = 50_000;

export class ServiceProfile {
  count = 0;
  /** Records at WARN or worse. */
  alerts = 0;
  /** Records at ERROR or worse. */
  errors = 0;
  /** Records per UTC hour of day. */
  readonly hours = new Float64Array(24);
  /** Records per template id. */
  readonly templates = new Map<number, number>();
}

/** Running mean and sum of squared deviations (Welford) of ln(1 + message length). */
export interface LengthStats {
  n: number;
  mean: number;
  m2: number;
}

export class LearnedCounts {
  total = 0;
  readonly services = new Map<string, ServiceProfile>();
  /** Records containing each word (once per record). */
  readonly words = new Map<string, number>();
  /** Records per template id. */
  readonly templates = new Map<number, number>();
  /** Message-length statistics per template id (of the records whose length was measured). */
  readonly lengths = new Map<number, LengthStats>();
  /** Rarity tails (rarity-tail.ts) of services, templates and words, kept in step with the maps above. */
  serviceTail = new RarityTail();
  templateTail = new RarityTail();
  wordTail = new RarityTail();
  /** Newest record time learned, ms since the epoch (NaN before the first). */
  lastTs = Number.NaN;

  profileOf(service: string): ServiceProfile | undefined {
    let profile = this.services.get(service);
    if (profile === undefined && this.services.size < MAX_SERVICES) {
      profile = new ServiceProfile();
      this.services.set(service, profile);
    }
    return profile;
  }

  /** Adds `seen` records containing `word` (a merge); past MAX_VOCABULARY a new word is not stored. */
  addWord(word: string, seen: number): void {
    const known = this.words.get(word);
    if (known !== undefined) this.words.set(word, known + seen);
    else if (this.words.size < MAX_VOCABULARY) this.words.set(word, seen);
  }

  /** Counts one record; `words` are its distinct words (each counted once). */
  learn(service: string, isAlert: boolean, isError: boolean, hour: number, templateId: number, words: Iterable<string>, logLength: number, timeMs: number): void {
    this.total += 1;
    if (!(timeMs <= this.lastTs)) this.lastTs = timeMs;
    const profile = this.profileOf(service);
    if (profile !== undefined) {
      this.serviceTail.moved(profile.count);
      profile.count += 1;
      if (isAlert) profile.alerts += 1;
      if (isError) profile.errors += 1;
      profile.hours[hour] = (profile.hours[hour] as number) + 1;
      const before = profile.templates.get(templateId) ?? 0;
      profile.templates.set(templateId, before + 1);
    } else {
      this.serviceTail.observations += 1;
    }
    for (const word of words) {
      const seen = this.words.get(word);
      if (seen !== undefined) {
        this.wordTail.moved(seen, false);
        this.words.set(word, seen + 1);
      } else if (this.words.size < MAX_VOCABULARY) {
        this.wordTail.moved(0, false);
        this.words.set(word, 1);
      }
    }
    // A word's chance is the share of records holding it: one observation per record.
    this.wordTail.observations += 1;
    const seenTemplate = this.templates.get(templateId) ?? 0;
    this.templateTail.moved(seenTemplate);
    this.templates.set(templateId, seenTemplate + 1);
    let stats = this.lengths.get(templateId);
    if (stats === undefined) {
      stats = { n: 0, mean: 0, m2: 0 };
      this.lengths.set(templateId, stats);
    }
    stats.n += 1;
    const delta = logLength - stats.mean;
    stats.mean += delta / stats.n;
    stats.m2 += delta * (logLength - stats.mean);
  }
}
