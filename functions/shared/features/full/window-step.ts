import type { LogRecord } from '../../log/log-record.js';
import type { FeatureRevision } from '../feature-set.js';
import { binomialTailSurprise } from './binomial-tail.js';
import type { CombinedCounts } from './combined-counts.js';
import { WINDOW_AHEAD, type PendingAlert, type ServiceWindow, type Severity } from './service-window.js';

/** Columns (template_rarity, service_template_rarity, rare_word) that are 0 for a template among its service's last WINDOW_BACK records. */
export const RECENTLY_SEEN_COLUMNS = [1, 2, 3] as const;

/** Window surprises count only when at most 1 in 10^WINDOW_FLOOR windows would be that extreme. */
export const WINDOW_FLOOR = 3;

export const severityOf = (record: LogRecord): Severity => (record.level === 'ERROR' || record.level === 'FATAL' ? 2 : record.level === 'WARN' ? 1 : 0);

/** A record measured again because records after it arrived (feature-set.ts). */
export type Revision = FeatureRevision;

/**
 * Most records pending in one stream, over all its services (each with its row, about 250 bytes of
 * stored state): past it — or in the window of a service past MAX_SERVICES, which is not stored — a
 * WARN-or-worse record is judged on its arrival look alone. Stream order decides which, so the
 * verdicts still do not depend on batches.
 */
export const MAX_STREAM_PENDING = 1000;

/** Counts a stream's pending records (FullStream keeps it). */
export interface PendingCount {
  pending: number;
}

/** Where one record sits and what to do with what it changes (one per extract call, moved record by record). */
export interface WindowStepContext {
  window: ServiceWindow;
  /** The stream's pending records, all services. */
  readonly stream: PendingCount;
  readonly counts: CombinedCounts;
  /** Column of template_burst; alert_surprise is the next; values per row. */
  readonly burstColumn: number;
  readonly width: number;
  /** The extract call (FullStream.serial) and the record's index in its batch. */
  readonly serial: number;
  batchIndex: number;
  ref: number;
  /** Revisions of earlier records go here; null: not wanted. */
  readonly revisions: Revision[] | null;
}

/**
 * The window columns of one record, measured on arrival, and what its arrival changes for the
 * WARN-or-worse records of its service before it (late verdicts).
 *
 * template_burst and alert_surprise of a WARN-or-worse record take the most surprising of three
 * windows of its service's records: the WINDOW_BACK before it with itself; itself with the
 * WINDOW_AHEAD after it; and all of them. The record is measured twice, each time at a point that
 * depends only on the stream, never on where batches were cut: on arrival, with the window behind
 * it; and when the WINDOW_AHEAD-th record of its service after it arrives (in the same batch or a
 * later one), with all three — a Revision of its row when that raises a value (a late verdict).
 * Two fixed looks, not one per record after it, so a value's false-alarm rate is that of three
 * windows, as it was. Until then it is pending in its service's window; a service that falls
 * silent leaves its last alerts judged on what was behind them. The usual shares are the service's
 * when the record arrived (before it was learned), so they do not depend on batches either.
 * DEBUG/INFO records get 0 in both.
 *
 * Then, when `learn`, the record is added: first to the pending records' windows (it is after
 * them), then to the window behind the next ones. The record's row is `matrix` from `offset`
 * (its floored columns).
 */
export function measureWindows(record: LogRecord, templateId: number, learn: boolean, matrix: Float64Array, offset: number, context: WindowStepContext): void {
  const { window, counts, burstColumn } = context;
  const severity = severityOf(record);
  let templateShare = 0;
  let severityShare = 0;
  let behindTemplate = 0;
  let behindSeverity = 0;
  let burst = 0;
  let surge = 0;
  if (severity !== 0) {
    const service = record.service;
    const serviceCount = counts.serviceCount(service);
    const errors = counts.serviceErrors(service);
    // Usual shares, smoothed (one hit and one miss assumed); warnings and errors apart: a warning
    // next to an error spike is not part of it.
    severityShare = severity === 2 ? (errors + 1) / (serviceCount + 2) : (counts.serviceAlerts(service) - errors + 1) / (serviceCount + 2);
    templateShare = (counts.serviceTemplate(service, templateId) + 1) / (serviceCount + 2);
    behindTemplate = window.countOf(templateId);
    behindSeverity = severity === 2 ? window.errorCount : window.alertCount - window.errorCount;
    // On arrival only the window behind it with itself is known (the "all" window is the same,
    // the one ahead is the record alone).
    burst = arrivalSurprise(behindTemplate, window.size, templateShare, 2);
    surge = arrivalSurprise(behindSeverity, window.size, severityShare, 1);
  }
  matrix[offset + burstColumn] = Math.max(0, burst - WINDOW_FLOOR);
  matrix[offset + burstColumn + 1] = Math.max(0, surge - WINDOW_FLOOR);
  // A message shape the service logged moments ago is not rare now, however new it is overall:
  // a new routine message is reported once, not once per line until it is common. A burst of it
  // at WARN or worse is still seen, by template_burst. A redelivered record would find its own
  // first delivery there, so the rule is for records learned now.
  if (learn && window.countOf(templateId) > 0) for (const column of RECENTLY_SEEN_COLUMNS) matrix[offset + column] = 0;
  if (!learn) return;
  const behindSize = window.size;
  followEarlier(window, templateId, severity, context);
  window.push(templateId, severity);
  if (severity !== 0 && window.kept && context.stream.pending < MAX_STREAM_PENDING) {
    window.pending.push({
      ref: context.ref,
      templateId,
      severity,
      behindTemplate,
      behindSeverity,
      behindSize,
      templateShare,
      severityShare,
      aheadSize: 1,
      aheadTemplate: 1,
      aheadSeverity: 1,
      burst,
      surge,
      row: matrix.slice(offset, offset + context.width),
      serial: context.serial,
      batchIndex: context.batchIndex,
    });
    context.stream.pending += 1;
  }
}

/** The records after each pending alert of the window grew by one (`templateId`, `severity`): revise those whose values rose. */
function followEarlier(window: ServiceWindow, templateId: number, severity: Severity, context: WindowStepContext): void {
  if (window.pending.length === 0) return;
  const { burstColumn, revisions } = context;
  let done = 0;
  for (const alert of window.pending) {
    alert.aheadSize += 1;
    if (alert.templateId === templateId) alert.aheadTemplate += 1;
    if (alert.severity === severity) alert.aheadSeverity += 1;
    if (alert.aheadSize <= WINDOW_AHEAD) continue;
    done += 1;
    if (remeasure(alert, burstColumn, true) && revisions !== null) {
      revisions.push({ index: alert.serial === context.serial ? alert.batchIndex : -1, ref: alert.ref, templateId: alert.templateId, row: Float64Array.from(alert.row) });
    }
  }
  // Pending alerts complete in arrival order: the oldest have the most records after them.
  if (done > 0) {
    window.pending = window.pending.slice(done);
    context.stream.pending -= done;
  }
}

/**
 * Recomputes an alert's window values from its counts — on arrival the window behind it with
 * itself; once `complete`, also itself with the WINDOW_AHEAD records after it, and all of them —
 * writes its row and answers true when a floored value rose.
 */
function remeasure(alert: PendingAlert, burstColumn: number, complete: boolean): boolean {
  const burst = Math.max(alert.burst, windowSurprise(alert.behindTemplate, alert.behindSize, complete ? alert.aheadTemplate : 1, complete ? alert.aheadSize : 1, alert.templateShare, 2));
  const surge = Math.max(alert.surge, windowSurprise(alert.behindSeverity, alert.behindSize, complete ? alert.aheadSeverity : 1, complete ? alert.aheadSize : 1, alert.severityShare, 1));
  alert.burst = burst;
  alert.surge = surge;
  const row = alert.row;
  const burstValue = Math.max(0, burst - WINDOW_FLOOR);
  const surgeValue = Math.max(0, surge - WINDOW_FLOOR);
  const rose = burstValue > (row[burstColumn] as number) || surgeValue > (row[burstColumn + 1] as number);
  row[burstColumn] = burstValue;
  row[burstColumn + 1] = surgeValue;
  return rose;
}

/**
 * −log10 P(Binomial ≥ hits) for the most surprising of three windows around a record: the records
 * before it with itself, itself with those after it (`ahead` counts the record), and all of them. A
 * burst that starts or ends at the record is then not diluted by the ordinary records on its other
 * side. A window with fewer than `minHits` hits counts 0: one record of a template is not a burst
 * of it (template_rarity measures how rare it is), while one error where a service never errs is a
 * surge of errors.
 */
function windowSurprise(behind: number, behindSize: number, ahead: number, aheadSize: number, usualShare: number, minHits: number): number {
  return Math.max(
    hitSurprise(behind + 1, behindSize + 1, usualShare, minHits),
    hitSurprise(ahead, aheadSize, usualShare, minHits),
    hitSurprise(behind + ahead, behindSize + aheadSize, usualShare, minHits),
  );
}

/** windowSurprise with nothing after the record yet. */
function arrivalSurprise(behind: number, behindSize: number, usualShare: number, minHits: number): number {
  return Math.max(hitSurprise(behind + 1, behindSize + 1, usualShare, minHits), hitSurprise(1, 1, usualShare, minHits));
}

function hitSurprise(hits: number, size: number, usualShare: number, minHits: number): number {
  return hits < minHits ? 0 : binomialTailSurprise(hits, size, usualShare);
}
