import type { LogRecord } from '../../../../functions/shared/log/index.js';
import type { ModelLogger, TrainerLock, TrainingSource } from '../../../../functions/shared/model/model-manager.js';

/**
 * Test doubles for the ModelManager's PostgreSQL-backed ports (their real implementations are
 * tested against embedded PostgreSQL elsewhere). The S3 side of the manager tests is real.
 */

/** Stored log records in memory, newest last. */
export class InMemoryTrainingSource implements TrainingSource {
  readonly records: LogRecord[] = [];
  countCalls = 0;
  /** The `atMost` of every countRecords call, in order (the real port counts no further). */
  readonly countLimits: number[] = [];
  private gate: { waiting: Array<() => void>; parties: number } | null = null;

  add(records: readonly LogRecord[]): void {
    this.records.push(...records);
  }

  /**
   * Makes the next `parties` countRecords calls wait for each other, so racing managers reach
   * the lock in the same tick (deterministic race).
   */
  gateNextCounts(parties: number): void {
    this.gate = { waiting: [], parties };
  }

  async countRecords(atMost: number): Promise<number> {
    this.countCalls += 1;
    this.countLimits.push(atMost);
    const gate = this.gate;
    if (gate !== null) {
      await new Promise<void>((resolve) => {
        gate.waiting.push(resolve);
        if (gate.waiting.length === gate.parties) {
          this.gate = null;
          for (const release of gate.waiting) release();
        }
      });
    }
    return Math.min(this.records.length, atMost);
  }

  async recentRecords(limit: number): Promise<LogRecord[]> {
    return this.records.slice(Math.max(0, this.records.length - limit));
  }
}

/** A process-local mutual exclusion with the TrainerLock contract (never waits: busy → not acquired). */
export class InMemoryTrainerLock implements TrainerLock {
  private held = false;
  acquisitions = 0;

  async tryRun<T>(fn: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    if (this.held) return { acquired: false };
    this.held = true;
    this.acquisitions += 1;
    try {
      return { acquired: true, value: await fn() };
    } finally {
      this.held = false;
    }
  }
}

export interface LoggedEntry {
  readonly level: 'info' | 'warn';
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

export class MemoryModelLogger implements ModelLogger {
  readonly entries: LoggedEntry[] = [];

  info(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'info', message, fields });
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.entries.push({ level: 'warn', message, fields });
  }

  warnings(): LoggedEntry[] {
    return this.entries.filter((entry) => entry.level === 'warn');
  }
}
