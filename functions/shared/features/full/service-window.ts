/** How bad a record's level is, for the windows: DEBUG/INFO 0, WARN 1, ERROR/FATAL 2. */
export type Severity = 0 | 1 | 2;

/**
 * The recent past of one service, in arrival order: the template ids and severities of its last
 * WINDOW_BACK records, and its WARN-or-worse records still waiting for the WINDOW_AHEAD records of
 * the service after them (window-step.ts). Arrival order is Kafka order within a partition, and the
 * pipeline keys records by service, so a service's records arrive in the order they were produced,
 * across batches and invocations.
 */
export const WINDOW_BACK = 8;
/** Records of the same service after a WARN-or-worse record that its windows take in. */
export const WINDOW_AHEAD = 8;

/**
 * A WARN-or-worse record whose windows are still growing: what it saw behind it (fixed), what came
 * after it so far, the most surprising window values so far (decades, before the window floor) and
 * its feature row as last measured (floored, `width` values).
 */
export interface PendingAlert {
  /** The caller's reference of the record (the detector: its Kafka offset); -1 when none was given. */
  readonly ref: number;
  readonly templateId: number;
  readonly severity: 1 | 2;
  /** Hits of its template and of its severity among the records behind it, and how many there were. */
  readonly behindTemplate: number;
  readonly behindSeverity: number;
  readonly behindSize: number;
  /** The template's and the severity's usual shares of the service when the record arrived. */
  readonly templateShare: number;
  readonly severityShare: number;
  /** The record and those after it so far, and the hits among them (the record itself is one). */
  aheadSize: number;
  aheadTemplate: number;
  aheadSeverity: number;
  burst: number;
  surge: number;
  readonly row: Float64Array;
  /** Transient: the extract call (FullStream.serial) that created it and its index in that batch. */
  serial: number;
  batchIndex: number;
}

export class ServiceWindow {
  /** `kept`: the window is stored with its stream, so records may wait in it (pending). */
  constructor(readonly kept = true) {}

  /** The last WINDOW_BACK records, rings; `size` of them are filled. */
  private readonly templates = new Int32Array(WINDOW_BACK);
  private readonly severities = new Uint8Array(WINDOW_BACK);
  private next = 0;
  size = 0;
  /** Filled slots at WARN or worse, and at ERROR or worse. */
  alertCount = 0;
  errorCount = 0;
  /** WARN-or-worse records with fewer than WINDOW_AHEAD records after them, oldest first (at most WINDOW_AHEAD). */
  pending: PendingAlert[] = [];

  push(templateId: number, severity: Severity): void {
    if (this.size === WINDOW_BACK) this.count(this.severities[this.next] as Severity, -1);
    else this.size += 1;
    this.templates[this.next] = templateId;
    this.severities[this.next] = severity;
    this.count(severity, 1);
    this.next = (this.next + 1) % WINDOW_BACK;
  }

  private count(severity: Severity, delta: number): void {
    if (severity >= 1) this.alertCount += delta;
    if (severity === 2) this.errorCount += delta;
  }

  /** How many of the remembered records have this template. */
  countOf(templateId: number): number {
    let seen = 0;
    for (let i = 0; i < this.size; i++) if (this.templates[i] === templateId) seen++;
    return seen;
  }

  /** [template id, severity] per remembered record, oldest first, for snapshots. */
  entries(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.size; i++) {
      const slot = (this.next - this.size + i + WINDOW_BACK) % WINDOW_BACK;
      out.push([this.templates[slot] as number, this.severities[slot] as number]);
    }
    return out;
  }

  static from(entries: ReadonlyArray<readonly [number, number]>): ServiceWindow {
    const window = new ServiceWindow();
    for (const [templateId, severity] of entries.slice(-WINDOW_BACK)) window.push(templateId, severity as Severity);
    return window;
  }
}

/** A pending alert as stored: [ref, template id, severity, behind template, behind severity, behind size, template share, severity share, ahead size, ahead template, ahead severity, burst, surge, row]. */
export type StoredPendingAlert = [number, number, 1 | 2, number, number, number, number, number, number, number, number, number, number, number[]];

export function encodePending(alert: PendingAlert): StoredPendingAlert {
  const { ref, templateId, severity, behindTemplate, behindSeverity, behindSize, templateShare, severityShare, aheadSize, aheadTemplate, aheadSeverity, burst, surge, row } = alert;
  return [ref, templateId, severity, behindTemplate, behindSeverity, behindSize, templateShare, severityShare, aheadSize, aheadTemplate, aheadSeverity, burst, surge, Array.from(row)];
}

export function decodePending(stored: StoredPendingAlert): PendingAlert {
  const [ref, templateId, severity, behindTemplate, behindSeverity, behindSize, templateShare, severityShare, aheadSize, aheadTemplate, aheadSeverity, burst, surge, row] = stored;
  return { ref, templateId, severity, behindTemplate, behindSeverity, behindSize, templateShare, severityShare, aheadSize, aheadTemplate, aheadSeverity, burst, surge, row: Float64Array.from(row), serial: -1, batchIndex: -1 };
}
