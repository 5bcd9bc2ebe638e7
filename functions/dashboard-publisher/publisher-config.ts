import { integer, matching } from '../shared/config/env-schemas.js';
import { EnvReader, type Env } from '../shared/config/env.js';

/** Where and how often the dashboard's data is published. */
export interface DashboardPublisherConfig {
  /** DASHBOARD_BUCKET: the dashboard bucket; null (unset) turns publishing off. */
  readonly bucket: string | null;
  /** DASHBOARD_PUBLISH_MIN_INTERVAL_SECONDS: at most one publication per this many seconds per container (default 5, 1–3600). */
  readonly minIntervalSeconds: number;
  /** DASHBOARD_WINDOW_MINUTES: the real-time window (default 60, 5–1440). */
  readonly windowMinutes: number;
}

const bucketName = matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 63, 'an S3 bucket name of lowercase letters, digits, "." and "-"');

export function loadDashboardPublisherConfig(env: Env): DashboardPublisherConfig {
  const reader = new EnvReader(env, 'dashboard publisher');
  const bucket = reader.read('DASHBOARD_BUCKET', bucketName) ?? null;
  const minIntervalSeconds = reader.read('DASHBOARD_PUBLISH_MIN_INTERVAL_SECONDS', integer(1, 3600), 5);
  const windowMinutes = reader.read('DASHBOARD_WINDOW_MINUTES', integer(5, 1440), 60);
  return reader.finish(() => ({ bucket, minIntervalSeconds, windowMinutes }));
}
