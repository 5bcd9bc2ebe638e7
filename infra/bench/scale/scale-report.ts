/** `bench:scale`'s human-readable table (stderr, unless --json). */
import { fmt, type CheckpointResult, type ScaleSummary } from './run-scale-bench.js';

export function gb(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(1);
}

/** The human-readable table: one line per checkpoint, then the cleanup. */
export function formatTable(checkpoints: readonly CheckpointResult[], summary: ScaleSummary): string {
  const header = ['rows', 'fill rows/s', 'rollups s', 'snapshot ms, 60 min (rows; rollup rows)', 'snapshot ms, 1440 min (rows; rollup rows)', 'status ms', 'batch ms (backend CPU ms)', 'database GB'];
  const lines = checkpoints.map((r) => [
    fmt(r.rows),
    fmt(r.fill.rowsPerSecond),
    String(r.fill.rollupSeconds),
    `${r.snapshot60.ms} (${fmt(r.snapshot60.rows)}; ${fmt(r.snapshot60.rollupRows)})`,
    `${r.snapshot1440.ms} (${fmt(r.snapshot1440.rows)}; ${fmt(r.snapshot1440.rollupRows)})`,
    String(r.status.ms),
    `${r.batch.ms} (${r.batch.backendCpuMs ?? '-'})`,
    gb(r.databaseBytes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const row = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [row(header), ...lines.map(row)];
  const last = checkpoints[checkpoints.length - 1]?.cleanup;
  if (last) {
    out.push(
      '',
      `cleanup of one older day (db:cleanup --logs-days 1): ${fmt(last.logs)} logs, ${fmt(last.anomalies)} anomalies, ${fmt(last.deadLetters)} dead letters ` +
        `in ${last.seconds} s (${fmt(last.logsPerSecond)} logs/s)`,
      `rollups after it: ${last.rollupCheck.equal ? 'equal' : 'NOT equal'} to count(*) (logs ${fmt(last.rollupCheck.logs.rollups)} / ${fmt(last.rollupCheck.logs.raw)}, ` +
        `anomalies ${fmt(last.rollupCheck.anomalies.rollups)} / ${fmt(last.rollupCheck.anomalies.raw)}, dead letters ${fmt(last.rollupCheck.deadLetters.rollups)} / ${fmt(last.rollupCheck.deadLetters.raw)}; check ${last.rollupCheck.seconds} s)`,
    );
  }
  out.push(`total ${fmt(summary.totalSeconds)} s`);
  return out.join('\n');
}
