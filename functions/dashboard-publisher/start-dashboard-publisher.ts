/**
 * A long-running publisher (for `npm start` and other always-on hosts): publishes at once, then again
 * `intervalMs` after each publication finishes (never two at a time). A failed publication is logged
 * and retried at the next tick; it never stops the loop.
 */
import { ConfigError } from '../shared/errors.js';
import { createDashboardPublication, type DashboardPublisherOptions, type PublishSummary } from './publish-dashboard.js';

export type PublisherLog = (line: Record<string, unknown>) => void;

export interface StartDashboardPublisherOptions extends DashboardPublisherOptions {
  /** Pause between publications, ms (default 5000; 200–3,600,000). */
  readonly intervalMs?: number;
  /** Receives JSON-able lines: the first success, every failure, the recovery after one. Default: console.log as JSON. */
  readonly log?: PublisherLog;
}

export interface RunningDashboardPublisher {
  /** Publishes now (waiting for one already under way first); rejects when it fails. */
  publishNow(): Promise<PublishSummary>;
  /** Stops the loop and waits for a publication under way. Idempotent. */
  stop(): Promise<void>;
}

export const DEFAULT_PUBLISH_INTERVAL_MS = 5_000;

export function startDashboardPublisher(options: StartDashboardPublisherOptions): RunningDashboardPublisher {
  const intervalMs = options.intervalMs ?? DEFAULT_PUBLISH_INTERVAL_MS;
  if (!Number.isInteger(intervalMs) || intervalMs < 200 || intervalMs > 3_600_000) {
    throw new ConfigError(`dashboard publisher intervalMs must be an integer from 200 to 3600000 (got ${String(intervalMs)})`);
  }
  const log = options.log ?? ((line) => console.log(JSON.stringify(line)));
  const publication = createDashboardPublication(options);
  const base = { component: 'dashboard-publisher', bucket: options.bucket };
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<PublishSummary> | null = null;
  let succeededBefore = false;
  let failing = false;

  const publishOnce = (): Promise<PublishSummary> => {
    const attempt = (running ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => publication.publish())
      .then(
        (summary) => {
          if (!succeededBefore || failing) log({ level: 'INFO', message: failing ? 'dashboard publishing recovered' : 'dashboard published', ...base, ...summary });
          succeededBefore = true;
          failing = false;
          return summary;
        },
        (error: unknown) => {
          failing = true;
          log({ level: 'ERROR', message: 'dashboard publication failed', ...base, error: error instanceof Error ? error.message : String(error) });
          throw error;
        },
      );
    running = attempt;
    return attempt;
  };

  const tick = (): void => {
    timer = null;
    if (stopped) return;
    publishOnce()
      .catch(() => undefined)
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();

  return {
    publishNow: publishOnce,
    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}
