/**
 * Turning database values into the bounded, well-typed values the dashboard objects hold.
 * Every text that may come from a log line or a jsonb column passes through here: it is cut to a
 * limit and never trusted to have a shape. (Escaping is the page's job: it shows text as text.)
 */
import type { FeatureContribution } from './dashboard-data.js';

/** `text` cut to `maxChars` UTF-16 units (never splitting a surrogate pair), with "…" when cut. */
export function cutText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  let end = maxChars - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

export function textOrNull(value: unknown, maxChars: number): string | null {
  return typeof value === 'string' ? cutText(value, maxChars) : null;
}

/** A finite number from a pg value (numbers, bigint/numeric strings); `fallback` otherwise. */
export function finiteNumber(value: unknown, fallback = 0): number {
  const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : fallback;
}

export function finiteOrNull(value: unknown): number | null {
  const number = finiteNumber(value, Number.NaN);
  return Number.isNaN(number) ? null : number;
}

/** A pg timestamp (Date) or an ISO text as ISO 8601 UTC; null when it is neither. */
export function isoOrNull(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  }
  return null;
}

/** Rounded to `digits` decimals, so objects do not carry float noise. */
export function round(value: number, digits = 4): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `anomalies.features`: an object of feature name → finite number; anything else is dropped. */
export function featureValues(value: unknown, maxEntries: number, maxNameChars: number): Record<string, number> {
  const features: Record<string, number> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return features;
  for (const [name, raw] of Object.entries(value).slice(0, maxEntries)) {
    if (typeof raw === 'number' && Number.isFinite(raw)) features[cutText(name, maxNameChars)] = round(raw, 6);
  }
  return features;
}

/**
 * `anomalies.contributions`: the detector stores [{feature, contribution}] largest first; an object
 * of feature → number is accepted too. Anything else gives an empty list. Sorted largest first.
 */
export function featureContributions(value: unknown, maxEntries: number, maxNameChars: number): FeatureContribution[] {
  const pairs: Array<[unknown, unknown]> = Array.isArray(value)
    ? value.map((item) => (item !== null && typeof item === 'object' ? [(item as Record<string, unknown>).feature, (item as Record<string, unknown>).contribution] : [null, null]))
    : value !== null && typeof value === 'object'
      ? Object.entries(value)
      : [];
  const contributions: FeatureContribution[] = [];
  for (const [feature, contribution] of pairs) {
    if (typeof feature === 'string' && typeof contribution === 'number' && Number.isFinite(contribution)) {
      contributions.push({ feature: cutText(feature, maxNameChars), contribution: round(contribution, 6) });
    }
  }
  return contributions.sort((a, b) => b.contribution - a.contribution).slice(0, maxEntries);
}
