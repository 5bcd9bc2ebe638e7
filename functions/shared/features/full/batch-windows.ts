import type { LogRecord } from '../../log/log-record.js';
import { WINDOW_AHEAD } from './full-definitions.js';
import type { CombinedCounts } from './combined-counts.js';
import type { FullStream } from './stream-state.js';
import { binomialTailSurprise } from './binomial-tail.js';
import type { ServiceWindow, Severity } from './service-window.js';

/** Columns (template_rarity, service_template_rarity, rare_word) that are 0 for a template among its service's last WINDOW_BACK records. */
export const RECENTLY_SEEN_COLUMNS = [1, 2, 3] as const;

/** Window surprises count only when at most 1 in 10^WINDOW_FLOOR windows would be that extreme. */
export const WINDOW_FLOOR = 3;

const severityOf = (record: LogRecord): Severity => (record.level === 'ERROR' || record.level === 'FATAL' ? 2 : record.level === 'WARN' ? 1 : 0);

/** Hits among window slots: before the record (`behind` of `behindSize`), the record and those after it in the batch (`ahead` of `aheadSize`). */
interface WindowCount {
  behind: number;
  behindSize: number;
  ahead: number;
  aheadSize: number;
}

/**
 * −log10 P(Binomial ≥ hits) for the most surprising of three windows around a record: the records
 * before it with itself, itself with those after it, and all of them. A burst that starts or ends
 * at the record is then not diluted by the ordinary records on its other side.
 */
function windowSurprise(count: WindowCount, usualShare: number): number {
  const { behind, behindSize, ahead, aheadSize } = count;
  return Math.max(
    binomialTailSurprise(behind + 1, behindSize + 1, usualShare),
    binomialTailSurprise(ahead, aheadSize, usualShare),
    binomialTailSurprise(behind + ahead, behindSize + aheadSize, usualShare),
  );
}

/**
 * Writes columns `burstColumn` (template_burst) and `burstColumn + 1` (alert_surprise) for a batch.
 * Each WARN-or-worse record is measured against its service's window (its records before it, from
 * earlier batches too) and the next WINDOW_AHEAD records of its service in this batch:
 * - template_burst: how unlikely that many of them carry its template, given the template's usual
 *   share of the service's records;
 * - alert_surprise: how unlikely that many of them are at its severity (WARN, or ERROR/FATAL),
 *   given the service's usual share of that severity.
 * DEBUG/INFO records get 0 in both. Then, when `learn[i]`, the record joins the window. Windows of
 * services past MAX_SERVICES are not kept (FullStream.windowOf).
 */
export function writeWindowColumns(
  records: readonly LogRecord[],
  templateIds: Int32Array,
  learn: Uint8Array,
  stream: FullStream,
  counts: CombinedCounts,
  out: Float64Array,
  width: number,
  burstColumn: number,
): void {
  const byService = new Map<string, number[]>();
  for (let i = 0; i < records.length; i++) {
    const service = (records[i] as LogRecord).service;
    const list = byService.get(service);
    if (list === undefined) byService.set(service, [i]);
    else list.push(i);
  }
  for (const [service, indices] of byService) {
    measureService(records, indices, templateIds, learn, stream.windowOf(service), counts, out, width, burstColumn);
  }
}

function measureService(
  records: readonly LogRecord[],
  indices: readonly number[],
  templateIds: Int32Array,
  learn: Uint8Array,
  window: ServiceWindow,
  counts: CombinedCounts,
  out: Float64Array,
  width: number,
  burstColumn: number,
): void {
  const k = indices.length;
  const service = (records[indices[0] as number] as LogRecord).service;
  const serviceCount = counts.serviceCount(service);
  const errors = counts.serviceErrors(service);
  // Usual shares, smoothed (one hit and one miss assumed).
  const usualWarningShare = (counts.serviceAlerts(service) - errors + 1) / (serviceCount + 2);
  const usualErrorShare = (errors + 1) / (serviceCount + 2);
  const severities = new Uint8Array(k);
  const warningsBefore = new Int32Array(k + 1); // WARN among indices[0 .. j-1]
  const errorsBefore = new Int32Array(k + 1); // ERROR+ among indices[0 .. j-1]
  for (let j = 0; j < k; j++) {
    const severity = severityOf(records[indices[j] as number] as LogRecord);
    severities[j] = severity;
    warningsBefore[j + 1] = (warningsBefore[j] as number) + (severity === 1 ? 1 : 0);
    errorsBefore[j + 1] = (errorsBefore[j] as number) + (severity === 2 ? 1 : 0);
  }
  for (let j = 0; j < k; j++) {
    const index = indices[j] as number;
    const templateId = templateIds[index] as number;
    const severity = severities[j] as Severity;
    let burst = 0;
    let surge = 0;
    if (severity >= 1) {
      const end = Math.min(k, j + 1 + WINDOW_AHEAD);
      const aheadSize = end - j;
      let sameAhead = 0;
      for (let a = j; a < end; a++) if (templateIds[indices[a] as number] === templateId) sameAhead++;
      const usualTemplateShare = (counts.serviceTemplate(service, templateId) + 1) / (serviceCount + 2);
      burst = windowSurprise({ behind: window.countOf(templateId), behindSize: window.size, ahead: sameAhead, aheadSize }, usualTemplateShare);
      // The same severity only: a warning next to an error spike is not part of it.
      const before = severity === 2 ? errorsBefore : warningsBefore;
      const same = { behind: severity === 2 ? window.errorCount : window.alertCount - window.errorCount, behindSize: window.size, ahead: (before[end] as number) - (before[j] as number), aheadSize };
      surge = windowSurprise(same, severity === 2 ? usualErrorShare : usualWarningShare);
    }
    out[index * width + burstColumn] = Math.max(0, burst - WINDOW_FLOOR);
    out[index * width + burstColumn + 1] = Math.max(0, surge - WINDOW_FLOOR);
    // A message shape the service logged moments ago is not rare now, however new it is overall:
    // a new routine message is reported once, not once per line until it is common. A burst of it
    // at WARN or worse is still seen, by template_burst above. A redelivered record would find its
    // own first delivery there, so the rule is for records learned now.
    if (learn[index] === 1 && window.countOf(templateId) > 0) for (const column of RECENTLY_SEEN_COLUMNS) out[index * width + column] = 0;
    if (learn[index] === 1) window.push(templateId, severity);
  }
}
