/** The log table's display limit: how many of the snapshot's newest logs are shown. */
export const MIN_LIMIT = 50;
export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 100;

/** A display limit from user input: a whole number within 50–500 (rounded and clamped); null when it is not a number. */
export function parseLimit(text: string): number | null {
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) return null;
  return Math.min(MAX_LIMIT, Math.max(MIN_LIMIT, Math.round(value)));
}
