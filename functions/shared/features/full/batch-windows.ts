import type { LogRecord } from '../../log/log-record.js';
import { WINDOW_AHEAD } from './full-definitions.js';
import { MAX_SERVICES, type LearnedCounts } from './learned-counts.js';
import { binomialTailSurprise } from './binomial-tail.js';

/** Error runs count only beyond 2 records (log2(run) − 1). */
const RUN_FLOOR = 1;
/** Alert windows count only when at most 1 in 10^ALERT_FLOOR windows would hold that many alerts. */
const ALERT_FLOOR = 2;
import { ServiceWindow } from './service-window.js';

const isAlert = (record: LogRecord): boolean => record.level === 'WARN' || record.level === 'ERROR' || record.level === 'FATAL';
const isError = (record: LogRecord): boolean => record.level === 'ERROR' || record.level === 'FATAL';

/**
 * Writes columns `runColumn` (error_burst) and `runColumn + 1` (alert_surprise) for a batch: each record
 * is measured against its service's window (the records before it, from earlier batches too) and
 * the next WINDOW_AHEAD records of its service in this batch; then, when `learn[i]`, it joins the
 * window. Windows of services past MAX_SERVICES are not kept.
 */
export function writeWindowColumns(
  records: readonly LogRecord[],
  learn: Uint8Array,
  windows: Map<string, ServiceWindow>,
  counts: LearnedCounts,
  out: Float64Array,
  width: number,
  runColumn: number,
): void {
  const byService = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const service = (records[i] as LogRecord).service;
    const list = byService.get(service);
    if (list === undefined) byService.set(service, [i]);
    else list.push(i);
  }
  for (const [service, indices] of byService) {
    let window = windows.get(service);
    if (window === undefined) {
      window = new ServiceWindow();
      if (windows.size < MAX_SERVICES) windows.set(service, window);
    }
    const profile = counts.services.get(service);
    // The service's usual alert share, smoothed (one alert and one calm record assumed).
    const usualAlertShare = ((profile?.alerts ?? 0) + 1) / ((profile?.count ?? 0) + 2);
    measureService(records, indices, learn, window, usualAlertShare, out, width, runColumn);
  }
}

function measureService(
  records: readonly LogRecord[],
  indices: readonly number[],
  learn: Uint8Array,
  window: ServiceWindow,
  usualAlertShare: number,
  out: Float64Array,
  width: number,
  runColumn: number,
): void {
  const k = indices.length;
  const errors = new Uint8Array(k);
  const alertsBefore = new Int32Array(k + 1); // alerts among indices[0 .. j-1]
  for (let j = 0; j < k; j++) {
    const record = records[indices[j] as number] as LogRecord;
    errors[j] = isError(record) ? 1 : 0;
    alertsBefore[j + 1] = (alertsBefore[j] as number) + (isAlert(record) ? 1 : 0);
  }
  const errorsAfter = new Int32Array(k + 1); // consecutive errors starting at j
  for (let j = k - 1; j >= 0; j--) errorsAfter[j] = errors[j] === 1 ? (errorsAfter[j + 1] as number) + 1 : 0;

  for (let j = 0; j < k; j++) {
    const index = indices[j] as number;
    const row = index * width + runColumn;
    const end = Math.min(k, j + 1 + WINDOW_AHEAD);
    const aheadAlerts = (alertsBefore[end] as number) - (alertsBefore[j + 1] as number);
    const alert = (alertsBefore[j + 1] as number) - (alertsBefore[j] as number);
    const run = errors[j] === 1 ? window.errorRun + 1 + (errorsAfter[j + 1] as number) : 0;
    out[row] = run > 0 ? Math.max(0, Math.log2(run) - RUN_FLOOR) : 0;
    const seen = window.size + 1 + (end - j - 1);
    const alerts = window.alertCount + alert + aheadAlerts;
    // Only an alert itself can be part of an alert surge; a calm record next to one is not.
    out[row + 1] = alert === 1 ? Math.max(0, binomialTailSurprise(alerts, seen, usualAlertShare) - ALERT_FLOOR) : 0;
    if (learn[index] === 1) window.push(alert === 1, errors[j] === 1);
  }
}
