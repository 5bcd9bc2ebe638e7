// Placeholder until the group coordinator lands (being written now).
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/storage.js';

export interface GroupCoordinatorOptions {
  /** Delay before the first rebalance of an empty group, so members starting together join one generation (ms). */
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

export class GroupCoordinator {
  constructor(
    readonly storage: Storage,
    readonly options: GroupCoordinatorOptions,
    readonly clock: Clock,
    readonly logger: Logger,
  ) {}

  async load(): Promise<void> {}

  async close(): Promise<void> {}
}
