/** How bad a record's level is, for the windows: DEBUG/INFO 0, WARN 1, ERROR/FATAL 2. */
export type Severity = 0 | 1 | 2;

/**
 * The recent past of one service, in arrival order: the template ids and severities of its last
 * WINDOW_BACK records. Arrival order is Kafka order within a
 * partition, and the pipeline keys records by service, so a service's records arrive in the order
 * they were produced, across batches and invocations.
 */
export const WINDOW_BACK = 8;

export class ServiceWindow {
  /** The last WINDOW_BACK records, rings; `size` of them are filled. */
  private readonly templates = new Int32Array(WINDOW_BACK);
  private readonly severities = new Uint8Array(WINDOW_BACK);
  private next = 0;
  size = 0;
  /** Filled slots at WARN or worse, and at ERROR or worse. */
  alertCount = 0;
  errorCount = 0;

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
