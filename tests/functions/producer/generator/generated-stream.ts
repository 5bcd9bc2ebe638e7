import { createLogGenerator, type GeneratedLog, type LogGeneratorOptions } from '../../../../functions/producer/generator/index.js';

/** 2024-05-01T00:00:00Z. */
export const DAY_START_MS = Date.UTC(2024, 4, 1);
export const DAY_MS = 86_400_000;

/** `count` records whose producer clock sweeps one UTC day evenly, so every hour is exercised. */
export function generateOverOneDay(options: LogGeneratorOptions, count: number): GeneratedLog[] {
  const generator = createLogGenerator(options);
  const step = DAY_MS / count;
  return Array.from({ length: count }, (_, index) => generator.next(DAY_START_MS + Math.floor(index * step)));
}

/** A regex that matches what a template renders: literal parts exactly, each placeholder as non-empty text. */
export function templatePattern(text: string): RegExp {
  const parts = text.split(/\{[A-Za-z][A-Za-z0-9]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+?')}$`);
}

export function utcHour(ts: string): number {
  return new Date(ts).getUTCHours();
}
