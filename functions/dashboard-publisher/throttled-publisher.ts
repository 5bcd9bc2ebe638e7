/**
 * Publishing from a function that runs per batch (the metrics aggregator): at most one publication
 * per `minIntervalMs` per container, and never a failed batch because of the dashboard: a failed
 * publication is logged and the next batch tries again.
 */
import type { DashboardPublication, PublishSummary } from './publish-dashboard.js';
import type { PublisherLog } from './start-dashboard-publisher.js';

export interface ThrottledPublisher {
  /** Publishes when the last attempt began at least minIntervalMs ago; null when skipped or failed. */
  maybePublish(): Promise<PublishSummary | null>;
}

export function createThrottledPublisher(options: {
  publication: DashboardPublication;
  minIntervalMs: number;
  /** ms since the epoch (tests pin it). */
  now?: () => number;
  log: PublisherLog;
}): ThrottledPublisher {
  const now = options.now ?? Date.now;
  let lastAttemptMs = Number.NEGATIVE_INFINITY;
  return {
    async maybePublish() {
      const at = now();
      if (at - lastAttemptMs < options.minIntervalMs) return null;
      lastAttemptMs = at;
      try {
        return await options.publication.publish();
      } catch (error) {
        options.log({ level: 'WARN', message: 'dashboard publication failed', component: 'dashboard-publisher', error: error instanceof Error ? error.message : String(error) });
        return null;
      }
    },
  };
}
