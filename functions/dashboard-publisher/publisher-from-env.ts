import { createS3Client, fromProcessEnv, loadModelConfig, loadS3Config } from '../shared/config/index.js';
import type { Db } from '../shared/db/index.js';
import { loadDashboardPublisherConfig } from './publisher-config.js';
import { createDashboardPublication } from './publish-dashboard.js';
import { createThrottledPublisher, type ThrottledPublisher } from './throttled-publisher.js';
import type { PublisherLog } from './start-dashboard-publisher.js';

export interface ContainerDashboardPublisher extends ThrottledPublisher {
  /** Releases the S3 client. */
  close(): void;
}

/**
 * The dashboard publisher a Lambda container runs after each batch, configured from the environment
 * (DASHBOARD_BUCKET, DASHBOARD_PUBLISH_MIN_INTERVAL_SECONDS, DASHBOARD_WINDOW_MINUTES, the S3
 * variables, and the detector's TRAINING_WINDOW / FIRST_TRAINING_WINDOW, read by the detector's own
 * model config loader); null when DASHBOARD_BUCKET is unset. A bad value throws ConfigError naming it.
 * `log` receives its `{ level, message, … }` lines (the hosting function's logger); default: JSON on stdout.
 */
export function dashboardPublisherFromEnv(db: Db, options: { log?: PublisherLog } = {}): ContainerDashboardPublisher | null {
  const config = fromProcessEnv(loadDashboardPublisherConfig);
  if (config.bucket === null) return null;
  const s3 = createS3Client(fromProcessEnv(loadS3Config));
  const { trainingWindow, firstTrainingWindow } = fromProcessEnv(loadModelConfig);
  const publication = createDashboardPublication({ db, s3, bucket: config.bucket, windowMinutes: config.windowMinutes, training: { trainingWindow, firstTrainingWindow } });
  const throttled = createThrottledPublisher({
    publication,
    minIntervalMs: config.minIntervalSeconds * 1000,
    log: options.log ?? ((line) => console.log(JSON.stringify(line))),
  });
  return { maybePublish: () => throttled.maybePublish(), close: () => s3.destroy() };
}
