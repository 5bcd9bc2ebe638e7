import type { LearnedCounts } from './learned-counts.js';
import { RARE_WORD_LIMIT, type FullStream } from './stream-state.js';

/**
 * The counts a record is measured against: the model's frozen counts plus what its stream learned
 * since (stream-state.ts). While a model is trained its counts learn every record and the stream
 * learns nothing, so this reads the model's counts alone. Cheap to make: one per batch.
 */
export class CombinedCounts {
  constructor(
    readonly model: LearnedCounts,
    readonly stream: FullStream,
  ) {}

  private coveredHours = -1;

  /**
   * Hours of the day in which the system (all services) logged at least `share` of what it logged
   * in its busiest hour, 0–24: how much of the day its learned profile has really seen, rather than
   * one burst and a scatter of stragglers. Read once per instance: a CombinedCounts is made per
   * batch, and a batch barely moves it.
   */
  hoursCovered(share: number): number {
    if (this.coveredHours >= 0) return this.coveredHours;
    const system = new Float64Array(24);
    for (const services of [this.model.services, this.stream.services]) {
      for (const { hours } of services.values()) for (let h = 0; h < 24; h++) system[h] = (system[h] as number) + (hours[h] as number);
    }
    const busiest = Math.max(...system);
    this.coveredHours = busiest === 0 ? 0 : system.filter((count) => count >= share * busiest).length;
    return this.coveredHours;
  }

  get total(): number {
    return this.model.total + this.stream.records;
  }

  serviceCount(service: string): number {
    return (this.model.services.get(service)?.count ?? 0) + (this.stream.services.get(service)?.count ?? 0);
  }

  serviceAlerts(service: string): number {
    return (this.model.services.get(service)?.alerts ?? 0) + (this.stream.services.get(service)?.alerts ?? 0);
  }

  serviceErrors(service: string): number {
    return (this.model.services.get(service)?.errors ?? 0) + (this.stream.services.get(service)?.errors ?? 0);
  }

  /** Records of the service carrying the template. */
  serviceTemplate(service: string, templateId: number): number {
    return (this.model.services.get(service)?.templates.get(templateId) ?? 0) + (this.stream.services.get(service)?.templates.get(templateId) ?? 0);
  }

  /** The service's records per UTC hour of day, into `out` (24 values); false when it has none. */
  serviceHours(service: string, out: Float64Array): boolean {
    const model = this.model.services.get(service)?.hours;
    const stream = this.stream.services.get(service)?.hours;
    if (model === undefined && stream === undefined) return false;
    for (let h = 0; h < 24; h++) out[h] = (model?.[h] ?? 0) + (stream?.[h] ?? 0);
    return true;
  }

  templateCount(templateId: number): number {
    return (this.model.templates.get(templateId) ?? 0) + (this.stream.templates.get(templateId) ?? 0);
  }

  /**
   * Records containing the word. A stream counts only words the model saw at most RARE_WORD_LIMIT
   * times; a commoner word keeps its share of the records (its count grows with the stream's
   * records), so it does not drift into rarity as the stream grows.
   */
  wordCount(word: string): number {
    const inModel = this.model.words.get(word) ?? 0;
    if (inModel <= RARE_WORD_LIMIT) return inModel + (this.stream.words.get(word) ?? 0);
    return inModel * (1 + this.stream.records / this.model.total);
  }

  serviceSurprise(count: number, counted: boolean): number {
    return this.model.serviceTail.surprise(count, counted, { singletons: this.stream.serviceSingletons, observations: this.stream.records, mass: this.stream.serviceMass });
  }

  templateSurprise(count: number, counted: boolean): number {
    return this.model.templateTail.surprise(count, counted, { singletons: this.stream.templateSingletons, observations: this.stream.records, mass: this.stream.templateMass });
  }

  wordSurprise(count: number, counted: boolean): number {
    return this.model.wordTail.surprise(count, counted, { singletons: this.stream.wordSingletons, observations: this.stream.records, mass: this.stream.wordMass });
  }

  /** Newest record time learned, ms; NaN when none. */
  get lastTs(): number {
    const { lastTs } = this.stream;
    return Number.isNaN(lastTs) || lastTs < this.model.lastTs ? this.model.lastTs : lastTs;
  }
}
