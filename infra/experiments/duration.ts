import { ExperimentUsageError } from './errors.js';

const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, min: 60, h: 3600 };

/**
 * Seconds from "30s", "10m", "1.5h", "500ms" or a bare number in `bareUnit` ("m" for the seed's
 * duration_minutes, "s" for the batching window). Throws ExperimentUsageError naming `what`.
 */
export function parseDurationSeconds(text: string, what: string, bareUnit: 's' | 'm'): number {
  const match = /^(\d+(?:\.\d+)?|\.\d+)(ms|s|m|min|h)?$/.exec(text.trim());
  if (text.length > 32 || match === null) {
    throw new ExperimentUsageError(`${what}: ${JSON.stringify(text.slice(0, 32))} is not a duration (e.g. 30s, 10m, 1.5h${bareUnit === 'm' ? ', or minutes as a number' : ', or seconds as a number'})`);
  }
  const seconds = Number(match[1]) * units[match[2] ?? bareUnit]!;
  if (!Number.isFinite(seconds)) throw new ExperimentUsageError(`${what}: ${JSON.stringify(text)} is too large`);
  return seconds;
}

/** "45s", "2m30s", "1h05m" — for progress lines and tables. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${s > 0 ? `${String(s).padStart(2, '0')}s` : ''}`;
}
