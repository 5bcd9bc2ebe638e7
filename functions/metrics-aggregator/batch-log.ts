import type { SkippedRecord } from './batch/decode-metric-batch.js';
import type { NewDeadLetter } from '../shared/db/index.js';

/** A structured log line (one JSON object); the default sink prints it with console.log. */
export type LogLine = Record<string, unknown>;
export type LogSink = (line: LogLine) => void;

export const printLine: LogSink = (line) => console.log(JSON.stringify(line));

/** Per-record problems named in a batch's log line; the rest are counted only. */
export const maxProblemsLogged = 5;

/** "topic-partition@offset: reason" for the first few refused or skipped records. Reasons never quote payloads. */
export function problemSamples(deadLetters: readonly NewDeadLetter[], skipped: readonly SkippedRecord[]): string[] {
  const lines = [
    ...deadLetters.map((letter) => `${letter.topic}-${letter.partition}@${letter.offset}: ${letter.reason}`),
    ...skipped.map((record) => `${record.topic ?? '?'}-${record.partition ?? '?'}@${record.offset ?? '?'}: ${record.reason}`),
  ];
  return lines.slice(0, maxProblemsLogged).map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line));
}

/** Name and message of a failure, for the error line (PipelineError messages are already secret-free). */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
