/**
 * Wakes Fetch requests that are long-polling for data. A waiter names the partition logs it
 * reads (any object identifying a partition); new visible data (a high-watermark advance, i.e.
 * appended data that became durable) notifies its own partition only, so a fetch is woken by data
 * it can use and not by every write on the broker. A woken waiter re-checks its partitions
 * itself, so a spurious wake is harmless; a missed one is not, hence `wait` registers
 * synchronously. Each partition also counts the record bytes that became visible in it (the
 * "appended" bytes below), so a fetch waiting for min_bytes can tell whether enough arrived
 * without reading anything.
 */
export class DataSignal {
  private readonly waiters = new Map<object, Set<() => void>>();
  private readonly appended = new WeakMap<object, number>();

  /** Record bytes appended to `partition` since the broker started (0 for one never notified). */
  appendedBytes(partition: object): number {
    return this.appended.get(partition) ?? 0;
  }

  /** Counts `bytes` appended to `partition` and wakes every waiter registered on it. */
  notify(partition: object, bytes = 0): void {
    if (bytes > 0) this.appended.set(partition, (this.appended.get(partition) ?? 0) + bytes);
    const waiting = this.waiters.get(partition);
    if (waiting === undefined) return;
    this.waiters.delete(partition);
    for (const wake of waiting) wake();
  }

  /** Resolves on the next notify of any of `partitions`, or after `timeoutMs`, whichever comes first. */
  wait(partitions: readonly object[], timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      let woken = false;
      const wake = () => {
        if (woken) return;
        woken = true;
        clearTimeout(timer);
        for (const partition of partitions) {
          const waiting = this.waiters.get(partition);
          if (waiting === undefined) continue;
          waiting.delete(wake);
          if (waiting.size === 0) this.waiters.delete(partition);
        }
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, timeoutMs));
      for (const partition of partitions) {
        let waiting = this.waiters.get(partition);
        if (waiting === undefined) this.waiters.set(partition, (waiting = new Set()));
        waiting.add(wake);
      }
    });
  }
}
