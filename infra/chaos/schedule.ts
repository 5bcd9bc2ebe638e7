/**
 * The fault schedule of a chaos run: which component is killed when, and how long it stays down.
 * A pure function of (seed, production time, fault count): the same seed gives the same plan.
 *
 * Faults fall inside the production time, clear of its first and last tenth (at least 2 s each):
 * the pipeline is running when the first comes, and records are still flowing when the last does.
 * That window is cut into one equal slot per fault and each fault falls in the first half of its
 * slot, so faults are spread over the whole window and never closer than half a slot (≥ 1.5 s).
 * Kinds are balanced (counts differ by at most one; which kind gets an extra one is seeded),
 * in a seeded order.
 */
import { Prng } from '../../functions/producer/generator/prng.js';

export const faultKinds = ['broker', 'runtime', 'postgres'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface PlannedFault {
  /** 1-based position in the schedule. */
  readonly index: number;
  readonly kind: FaultKind;
  /** When the kill is due, in ms after production started. */
  readonly atMs: number;
  /** How long the component stays dead before it is started again, in ms (0.5–3 s). */
  readonly downMs: number;
}

/** Shortest slot per fault, in ms: a fault needs time for its kill and restart to matter. */
export const minSlotMs = 3_000;
/** Margin before the first and after the last fault: a tenth of production time, at least this (ms). */
const minMarginMs = 2_000;
const minDownMs = 500;
const maxDownMs = 3_000;

/** The part of production time faults fall in, in ms after production started. */
export function faultWindow(productionMs: number): { fromMs: number; toMs: number } {
  const margin = Math.max(minMarginMs, productionMs / 10);
  return { fromMs: margin, toMs: Math.max(margin, productionMs - margin) };
}

/** Most faults that fit in `minutes` of production (one per minSlotMs of the window). */
export function maxFaultsFor(minutes: number): number {
  const { fromMs, toMs } = faultWindow(minutes * 60_000);
  return Math.floor((toMs - fromMs) / minSlotMs);
}

export function planFaults(seed: number, productionMs: number, count: number): PlannedFault[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`fault count must be a whole number >= 0, got ${count}`);
  if (count === 0) return [];
  const { fromMs, toMs } = faultWindow(productionMs);
  const slotMs = (toMs - fromMs) / count;
  if (slotMs < minSlotMs) throw new RangeError(`${count} faults do not fit in ${productionMs} ms of production (at most ${Math.floor((toMs - fromMs) / minSlotMs)})`);
  const rng = new Prng(`chaos-schedule:${seed}`);
  const rotation = rng.int(faultKinds.length);
  const kinds: FaultKind[] = Array.from({ length: count }, (_, i) => faultKinds[(i + rotation) % faultKinds.length]!);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  return kinds.map((kind, i) => ({
    index: i + 1,
    kind,
    atMs: Math.round(fromMs + i * slotMs + rng.next() * (slotMs / 2)),
    downMs: rng.between(minDownMs, maxDownMs),
  }));
}
