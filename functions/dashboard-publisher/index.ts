/**
 * The dashboard's data publisher: reads PostgreSQL, writes the JSON objects the static dashboard
 * reads from its bucket (see dashboard-data.ts for the contract).
 */
export * from './dashboard-data.js';
export { createDashboardPublication, fitToSize, type DashboardPublication, type DashboardPublisherOptions, type PublishSummary } from './publish-dashboard.js';
export {
  startDashboardPublisher,
  DEFAULT_PUBLISH_INTERVAL_MS,
  type RunningDashboardPublisher,
  type StartDashboardPublisherOptions,
  type PublisherLog,
} from './start-dashboard-publisher.js';
export { createThrottledPublisher, type ThrottledPublisher } from './throttled-publisher.js';
export { loadDashboardPublisherConfig, type DashboardPublisherConfig } from './publisher-config.js';
export { experimentKey } from './experiment-keys.js';
export { readRealtimeSnapshot } from './realtime/build-realtime-snapshot.js';
