/**
 * The outcome of a chaos run: one JSON line for machines and a few lines for people.
 */
import type { FaultKind } from './schedule.js';
import { faultKinds } from './schedule.js';
import type { StoredCensus } from './verification.js';

export interface FaultRecord {
  readonly index: number;
  readonly kind: FaultKind;
  readonly pid: number | null;
  /** Planned and actual kill time, s after production started (actual is later when a restart before it ran long). */
  readonly plannedAtS: number;
  readonly atS: number;
  /** Planned time dead before the restart, s. */
  readonly downS: number;
  /** From the kill until the component was ready again, s (null: it did not come back). */
  readonly backAfterS: number | null;
}

/** Where lost and duplicated records went wrong, from the topic's content (topic-census.ts). */
export interface KafkaDiagnosis {
  readonly complete: boolean;
  readonly records: number;
  readonly lostNotInTopic: number;
  readonly lostInTopic: number;
  readonly duplicatedInTopicTwice: number;
  readonly duplicatedInTopicOnce: number;
}

export interface ChaosResult {
  readonly ok: boolean;
  readonly seed: number;
  readonly minutes: number;
  readonly rate: number;
  readonly faults: number;
  readonly faultsByKind: Record<FaultKind, number>;
  readonly produced: number;
  readonly stored: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly unexpected: number;
  readonly drained: boolean;
  readonly deadLetters: Record<string, number>;
  readonly lostDeadLettered: Record<string, number>;
  readonly producer: { readonly failedSends: number; readonly producerResets: number; readonly longestSendMs: number };
  readonly seconds: { readonly producing: number; readonly drain: number; readonly total: number };
  readonly faultLog: readonly FaultRecord[];
  readonly lostExamples: readonly string[];
  readonly duplicatedExamples: StoredCensus['duplicatedExamples'];
  readonly kafka: KafkaDiagnosis | null;
  /** Process groups the run started (all gone when it returns). */
  readonly processGroups: readonly number[];
  /** The run's directory (data, logs/<component>.log): deleted when the run ends unless kept. */
  readonly runDir: string;
  /** Whether runDir was kept (--keep). */
  readonly kept: boolean;
}

export function countByKind(faults: readonly { kind: FaultKind }[]): Record<FaultKind, number> {
  const counts = Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  for (const fault of faults) counts[fault.kind] += 1;
  return counts;
}

export function jsonLine(result: ChaosResult): string {
  return JSON.stringify(result);
}

const number = (value: number) => value.toLocaleString('en-US');

/** A few lines: what ran, the verdict, and where to look when it failed. */
export function humanSummary(result: ChaosResult): string {
  const kinds = faultKinds.map((kind) => `${result.faultsByKind[kind]} ${kind}`).join(', ');
  const backs = result.faultLog.map((fault) => fault.backAfterS).filter((value): value is number => value !== null);
  const restarts = backs.length === 0 ? '' : `; back after ${Math.min(...backs).toFixed(1)}–${Math.max(...backs).toFixed(1)} s`;
  const lines = [
    `chaos: seed ${result.seed}, ${result.minutes} min at ${number(result.rate)} records/s, ${result.faults} faults (${kinds})${restarts}`,
    `produced ${number(result.produced)}, stored ${number(result.stored)} rows; lost ${number(result.lost)}, duplicated ${number(result.duplicated)}` +
      (result.unexpected > 0 ? `, unexpected ${number(result.unexpected)}` : '') +
      `; drained ${result.drained ? `in ${result.seconds.drain.toFixed(1)} s` : 'NOT'}; producer: ${result.producer.failedSends} failed sends, longest send ${(result.producer.longestSendMs / 1000).toFixed(1)} s`,
  ];
  if (result.ok) {
    lines.push('OK: every produced record is stored exactly once');
  } else {
    lines.push(`FAILED: ${[result.lost > 0 ? `${number(result.lost)} lost` : '', result.duplicated > 0 ? `${number(result.duplicated)} duplicated` : '', result.drained ? '' : 'the pipeline did not drain'].filter(Boolean).join(', ')}`);
    if (result.lostExamples.length > 0) lines.push(`  lost, e.g.: ${result.lostExamples.join(', ')}`);
    if (Object.keys(result.lostDeadLettered).length > 0) lines.push(`  lost records found in dead_letters: ${JSON.stringify(result.lostDeadLettered)}`);
    for (const example of result.duplicatedExamples.slice(0, 3)) lines.push(`  duplicated: ${example.id} stored at partition:offset ${example.rows.join(', ')}`);
    if (result.kafka !== null) {
      const k = result.kafka;
      lines.push(
        `  in the topic${k.complete ? '' : ' (read only in part)'}: ${number(k.lostNotInTopic)} lost records are not in it (the broker lost them), ${number(k.lostInTopic)} are (the pipeline skipped them); ` +
          `${number(k.duplicatedInTopicTwice)} duplicated records are in it twice (produced twice), ${number(k.duplicatedInTopicOnce)} once (stored twice)`,
      );
    }
  }
  if (result.kept) lines.push(`run directory kept (data, logs/<component>.log): ${result.runDir}`);
  else if (!result.ok) lines.push('run again with the same --seed and --keep to keep the data and every component\'s log');
  return lines.join('\n');
}
