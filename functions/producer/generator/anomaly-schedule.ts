import { ConfigError } from '../../shared/errors.js';
import { ANOMALY_KINDS, type AnomalyKind } from '../../shared/log/anomaly-label.js';
import { ERROR_SPIKE_MEAN_RECORDS } from './anomalies/error-spike.js';
import type { Prng } from './prng.js';
import { WeightedChoice } from './weighted-choice.js';

/** Relative weights of the anomaly kinds; kinds left out get weight 0. Default: all five equally. */
export type AnomalyMix = Partial<Record<AnomalyKind, number>>;

const EQUAL_MIX: AnomalyMix = Object.fromEntries(ANOMALY_KINDS.map((kind) => [kind, 1]));

/** Records one anomaly event of a kind emits: a spike emits several, the others one. */
function recordsPerEvent(kind: AnomalyKind): number {
  return kind === 'error_spike' ? ERROR_SPIKE_MEAN_RECORDS : 1;
}

/**
 * Decides when anomalies start and which kind. At each step that is not inside an error spike, an
 * anomaly event starts with probability q; an event emits m records on average (m = the mix's mean
 * records per event). The long-run anomalous share is q·m / (q·m + 1 − q); solving for the requested
 * rate r gives q = r / (m·(1 − r) + r), so the share of labelled records converges to r.
 */
export class AnomalySchedule {
  /** Probability that a free step starts an anomaly event. */
  readonly startProbability: number;
  private readonly kinds: WeightedChoice<AnomalyKind> | undefined;

  constructor(anomalyRate: number, mix: AnomalyMix = EQUAL_MIX) {
    if (typeof anomalyRate !== 'number' || !Number.isFinite(anomalyRate) || anomalyRate < 0 || anomalyRate > 1) {
      throw new ConfigError(`anomalyRate must be a number from 0 to 1, got ${String(anomalyRate)}`);
    }
    if (typeof mix !== 'object' || mix === null) throw new ConfigError('anomalyMix must be an object of kind → weight');
    const entries: Array<{ item: AnomalyKind; weight: number }> = [];
    for (const [kind, weight] of Object.entries(mix)) {
      if (!(ANOMALY_KINDS as readonly string[]).includes(kind)) {
        throw new ConfigError(`anomalyMix has unknown kind "${kind}"; known: ${ANOMALY_KINDS.join(', ')}`);
      }
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
        throw new ConfigError(`anomalyMix.${kind} must be a finite number >= 0, got ${String(weight)}`);
      }
      if (weight > 0) entries.push({ item: kind as AnomalyKind, weight });
    }
    if (entries.length === 0 && anomalyRate > 0) throw new ConfigError('anomalyMix gives every kind weight 0, but anomalyRate > 0');
    this.kinds = entries.length > 0 ? new WeightedChoice(entries) : undefined;
    const totalWeight = entries.reduce((sum, entry) => sum + entry.weight, 0);
    const meanRecords = entries.reduce((sum, entry) => sum + entry.weight * recordsPerEvent(entry.item), 0) / (totalWeight || 1);
    this.startProbability = anomalyRate === 0 ? 0 : anomalyRate / (meanRecords * (1 - anomalyRate) + anomalyRate);
  }

  /** The kind of the next event, or undefined for a normal record. */
  next(rng: Prng): AnomalyKind | undefined {
    if (this.kinds === undefined || rng.next() >= this.startProbability) return undefined;
    return this.kinds.pick(rng);
  }
}
