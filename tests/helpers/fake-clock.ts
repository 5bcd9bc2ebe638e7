import type { Clock, ClockTimer } from '../../infra/local-msk/clock.js';

interface ScheduledTimer {
  id: number;
  /** When it fires (ms, fake epoch). */
  dueAt: number;
  callback: () => void;
}

/**
 * A Clock whose time only moves when a test calls `advance`. Timers fire in due-time
 * order (ties in scheduling order), each with `now()` equal to its due time; timers
 * scheduled by a firing callback fire in the same `advance` if they fall due within it.
 */
export class FakeClock implements Clock {
  private currentMs: number;
  private nextId = 1;
  private readonly timers = new Map<number, ScheduledTimer>();

  constructor(startMs = 1_700_000_000_000) {
    this.currentMs = startMs;
  }

  now(): number {
    return this.currentMs;
  }

  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    const id = this.nextId++;
    this.timers.set(id, { id, dueAt: this.currentMs + Math.max(0, delayMs), callback });
    return { id } as unknown as ClockTimer;
  }

  clearTimeout(timer: ClockTimer): void {
    this.timers.delete((timer as unknown as { id: number }).id);
  }

  /** Number of timers scheduled and not yet fired or cleared. */
  pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    const target = this.currentMs + ms;
    for (;;) {
      const next = this.earliestDue();
      if (!next || next.dueAt > target) break;
      this.timers.delete(next.id);
      this.currentMs = next.dueAt;
      next.callback();
    }
    this.currentMs = target;
  }

  private earliestDue(): ScheduledTimer | undefined {
    let earliest: ScheduledTimer | undefined;
    for (const timer of this.timers.values()) {
      if (!earliest || timer.dueAt < earliest.dueAt || (timer.dueAt === earliest.dueAt && timer.id < earliest.id)) earliest = timer;
    }
    return earliest;
  }
}
