/** A window of whole UTC hours, [fromHour, toHour): `{ fromHour: 8, toHour: 20 }` is 08:00–19:59:59.999. */
export interface HourWindow {
  readonly fromHour: number;
  readonly toHour: number;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function windowsOverlap(a: HourWindow, b: HourWindow): boolean {
  return a.fromHour < b.toHour && b.fromHour < a.toHour;
}

export function formatWindow(window: HourWindow): string {
  const pad = (hour: number): string => String(hour).padStart(2, '0');
  return `${pad(window.fromHour)}:00–${pad(window.toHour)}:00 UTC`;
}

export function isInWindow(timeMs: number, window: HourWindow): boolean {
  const timeOfDay = timeMs - utcDayStart(timeMs);
  return timeOfDay >= window.fromHour * HOUR_MS && timeOfDay < window.toHour * HOUR_MS;
}

/** The hours all windows share, or undefined when they share none. */
export function intersectWindows(windows: readonly HourWindow[]): HourWindow | undefined {
  const fromHour = Math.max(...windows.map((window) => window.fromHour));
  const toHour = Math.min(...windows.map((window) => window.toHour));
  return fromHour < toHour ? { fromHour, toHour } : undefined;
}

/** Start of the UTC day holding `timeMs`. */
export function utcDayStart(timeMs: number): number {
  return Math.floor(timeMs / DAY_MS) * DAY_MS;
}

/**
 * Folds a time into the window on the same UTC day: a time inside stays; a time outside wraps
 * around the window's length (e.g. 03:00 with 07–22 becomes 18:00). Deterministic, and it keeps
 * minutes, seconds and milliseconds, so a steady clock gives a steady stream inside the window.
 */
export function foldIntoWindow(timeMs: number, window: HourWindow): number {
  const dayStart = utcDayStart(timeMs);
  const timeOfDay = timeMs - dayStart;
  const from = window.fromHour * HOUR_MS;
  const span = (window.toHour - window.fromHour) * HOUR_MS;
  if (timeOfDay >= from && timeOfDay < from + span) return timeMs;
  const offset = (((timeOfDay - from) % span) + span) % span;
  return dayStart + from + offset;
}
