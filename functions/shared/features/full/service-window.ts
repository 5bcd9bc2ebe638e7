/**
 * The recent past of one service, in arrival order: whether each of its last WINDOW_BACK records
 * was an alert (WARN or worse) and how many error records (ERROR or FATAL) it ended with. Arrival
 * order is Kafka order within a partition, and the pipeline keys records by service, so a
 * service's records arrive in the order they were produced, across batches and invocations.
 */
export const WINDOW_BACK = 8;

export class ServiceWindow {
  /** Alert flags of the last WINDOW_BACK records, a ring; `size` of them are filled. */
  private readonly alerts = new Uint8Array(WINDOW_BACK);
  private next = 0;
  size = 0;
  /** Alerts among the filled slots. */
  alertCount = 0;
  /** Consecutive error records at the end (0 when the last record was not an error). */
  errorRun = 0;

  push(isAlert: boolean, isError: boolean): void {
    if (this.size === WINDOW_BACK) this.alertCount -= this.alerts[this.next] as number;
    else this.size += 1;
    this.alerts[this.next] = isAlert ? 1 : 0;
    this.alertCount += isAlert ? 1 : 0;
    this.next = (this.next + 1) % WINDOW_BACK;
    this.errorRun = isError ? this.errorRun + 1 : 0;
  }

  /** Oldest first, for snapshots. */
  flags(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.alerts[(this.next - this.size + i + WINDOW_BACK) % WINDOW_BACK] as number);
    return out;
  }

  static from(flags: readonly number[], errorRun: number): ServiceWindow {
    const window = new ServiceWindow();
    for (const flag of flags.slice(-WINDOW_BACK)) window.push(flag === 1, false);
    window.errorRun = errorRun;
    return window;
  }
}
