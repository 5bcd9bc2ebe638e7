/**
 * Wakes Fetch requests that are long-polling for data. A waiter names the partition logs it
 * reads (any object identifying a partition); an append notifies its own partition only, so a
 * fetch is woken by appends it can use and not by every append on the broker. A woken waiter
 * re-checks its partitions itself, so a spurious wake is harmless; a missed one is not, hence
 * `wait` registers synchronously.
 */
export class DataSignal {
  private readonly waiters = new Map<object, Set<() => void>>();

  /** Wakes every waiter registered on `partition`. */
  notify(partition: object): void {
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
