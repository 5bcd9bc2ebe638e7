/**
 * One publication of the dashboard's data: the real-time snapshot, then each experiment's object,
 * then the experiments index (written last, so every key it names already exists), then the removal
 * of experiment objects the index no longer names (so the bucket does not grow without bound).
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Db } from '../shared/db/index.js';
import { InfrastructureError, PipelineError } from '../shared/errors.js';
import {
  DASHBOARD_SCHEMA,
  EXPERIMENTS_INDEX_KEY,
  EXPERIMENT_KEY_PREFIX,
  REALTIME_KEY,
  dashboardLimits as limits,
  type ExperimentSummary,
  type ExperimentsIndex,
  type RealtimeSnapshot,
} from './dashboard-data.js';
import { experimentKey } from './experiment-keys.js';
import { readExperimentDetail } from './experiments/build-experiment-detail.js';
import { readExperimentRows } from './experiments/experiment-config.js';
import { inReadSnapshot } from './read-snapshot.js';
import type { TrainingWindows } from '../shared/model/training-windows.js';
import { DEFAULT_WINDOW_MINUTES, readRealtimeSnapshot } from './realtime/build-realtime-snapshot.js';
import { DashboardStore } from './s3-json-store.js';

export interface DashboardPublisherOptions {
  readonly db: Db;
  readonly s3: S3Client;
  /** The dashboard bucket (the page's own bucket: data objects live next to index.html). */
  readonly bucket: string;
  /** The real-time window in minutes (default 60, as the seed's dashboard). */
  readonly windowMinutes?: number;
  /** Largest object written, bytes (default dashboardLimits.MAX_OBJECT_BYTES). */
  readonly maxObjectBytes?: number;
  /**
   * The detector's training windows (its model config: TRAINING_WINDOW, FIRST_TRAINING_WINDOW), which
   * say whether the active model is provisional. Default: the detector's defaults (1,000 and 200).
   */
  readonly training?: TrainingWindows;
}

export interface PublishSummary {
  readonly realtimeBytes: number | null;
  readonly experiments: number;
  /** Experiment objects written this time (running ones always; finished ones when they changed). */
  readonly experimentObjectsWritten: number;
  readonly staleObjectsDeleted: number;
}

export interface DashboardPublication {
  /** Writes everything once; throws InfrastructureError naming each part that failed (the others are still written). */
  publish(): Promise<PublishSummary>;
}

export function createDashboardPublication(options: DashboardPublisherOptions): DashboardPublication {
  const store = new DashboardStore(options.s3, options.bucket, options.maxObjectBytes);
  const windowMinutes = options.windowMinutes ?? DEFAULT_WINDOW_MINUTES;
  /** Finished experiments already written by this instance, by key: the row they were written from and their summary. */
  const finished = new Map<string, { fingerprint: string; summary: ExperimentSummary }>();
  /** The keys the last cleanup kept; cleanup runs again only when the set changes. */
  let cleanedFor: string | null = null;

  async function publishRealtime(): Promise<number> {
    const snapshot = await readRealtimeSnapshot(options.db, windowMinutes, options.training);
    return store.putJson(REALTIME_KEY, fitToSize(snapshot, options.maxObjectBytes ?? limits.MAX_OBJECT_BYTES));
  }

  async function publishExperiments(): Promise<Omit<PublishSummary, 'realtimeBytes'>> {
    const rows = await inReadSnapshot(options.db, 'readExperimentRows', (session) => readExperimentRows(session, limits.MAX_EXPERIMENTS));
    const generatedAt = new Date();
    const summaries: ExperimentSummary[] = [];
    let written = 0;
    for (const row of rows) {
      const key = experimentKey(row.config.id);
      const known = finished.get(key);
      if (known !== undefined && known.fingerprint === row.fingerprint) {
        summaries.push(known.summary);
        continue;
      }
      const { detail, headline } = await readExperimentDetail(options.db, row, generatedAt);
      await store.putJson(key, detail);
      written += 1;
      const summary: ExperimentSummary = { ...row.config, key, ...headline, detection: detail.detection };
      if (row.config.status !== 'running') finished.set(key, { fingerprint: row.fingerprint, summary });
      summaries.push(summary);
    }
    const index: ExperimentsIndex = { schema: DASHBOARD_SCHEMA, kind: 'experiments-index', generatedAt: generatedAt.toISOString(), experiments: summaries };
    await store.putJson(EXPERIMENTS_INDEX_KEY, index);
    const staleObjectsDeleted = await removeStale(new Set(summaries.map((summary) => summary.key)));
    return { experiments: summaries.length, experimentObjectsWritten: written, staleObjectsDeleted };
  }

  async function removeStale(keep: Set<string>): Promise<number> {
    const signature = [...keep].sort().join('\n');
    if (signature === cleanedFor) return 0;
    const stale = (await store.listKeys(EXPERIMENT_KEY_PREFIX)).filter((key) => key !== EXPERIMENTS_INDEX_KEY && !keep.has(key));
    await store.deleteKeys(stale);
    for (const key of stale) finished.delete(key);
    cleanedFor = signature;
    return stale.length;
  }

  return {
    async publish() {
      const failures: PipelineError[] = [];
      const realtimeBytes = await publishRealtime().catch((error: unknown) => {
        failures.push(asPipelineError('real-time snapshot', error));
        return null;
      });
      const experiments = await publishExperiments().catch((error: unknown) => {
        failures.push(asPipelineError('experiments', error));
        return { experiments: 0, experimentObjectsWritten: 0, staleObjectsDeleted: 0 };
      });
      if (failures.length > 0) {
        throw new InfrastructureError(`dashboard publication failed: ${failures.map((failure) => failure.message).join('; ')}`, { cause: failures[0] });
      }
      return { realtimeBytes, ...experiments };
    },
  };
}

/** The snapshot, with its log list (then its anomaly list) halved until its JSON fits in `maxBytes`. */
export function fitToSize(snapshot: RealtimeSnapshot, maxBytes: number): RealtimeSnapshot {
  let fitted = snapshot;
  const size = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
  while (size(fitted) > maxBytes && fitted.recentLogs.length > 0) {
    fitted = { ...fitted, recentLogs: fitted.recentLogs.slice(0, Math.floor(fitted.recentLogs.length / 2)) };
  }
  while (size(fitted) > maxBytes && fitted.recentAnomalies.length > 0) {
    fitted = { ...fitted, recentAnomalies: fitted.recentAnomalies.slice(0, Math.floor(fitted.recentAnomalies.length / 2)) };
  }
  return fitted;
}

function asPipelineError(part: string, error: unknown): PipelineError {
  const message = error instanceof Error ? error.message : String(error);
  return new InfrastructureError(`${part}: ${message}`, { cause: error });
}
