/**
 * The dashboard's data contract: the JSON objects the publisher writes to the dashboard bucket and
 * the static page reads (the page imports these types; its own runtime checks mirror them).
 * Times are ISO 8601 UTC strings; durations are milliseconds unless a name says otherwise.
 * Bump DASHBOARD_SCHEMA when a field changes meaning or disappears.
 */
export const DASHBOARD_SCHEMA = 1;

/** Object keys inside the dashboard bucket, relative to the page (the page fetches them relatively). */
export const REALTIME_KEY = 'data/realtime.json';
export const EXPERIMENTS_INDEX_KEY = 'data/experiments/index.json';
export const EXPERIMENT_KEY_PREFIX = 'data/experiments/';

/** The real-time snapshot: what the pipeline stored over the last `windowMinutes`. */
export interface RealtimeSnapshot {
  readonly schema: typeof DASHBOARD_SCHEMA;
  readonly kind: 'realtime';
  readonly generatedAt: string;
  readonly windowMinutes: number;
  readonly totals: {
    readonly logs: number;
    readonly anomalies: number;
    /** anomalies / logs in the window, 0..1 (0 when there are no logs). */
    readonly anomalyRate: number;
    /** Distinct services that logged in the window. */
    readonly activeServices: number;
    /** Records refused into dead_letters in the window. */
    readonly deadLetters: number;
  };
  readonly levels: readonly LevelCount[];
  /** Busiest services first, at most MAX_SERVICES (the rest are summed into "(other)"). */
  readonly services: readonly ServiceActivity[];
  /** One point per minute of the window, oldest first; minutes with no logs are 0. */
  readonly timeline: readonly TimelinePoint[];
  /** Newest first, at most MAX_RECENT_ANOMALIES. */
  readonly recentAnomalies: readonly AnomalyCard[];
  /** Newest first, at most MAX_RECENT_LOGS (the page shows 50–500 of them). */
  readonly recentLogs: readonly RecentLog[];
  /** The model in service (the `models` table's active row); null before the first training. */
  readonly model: ActiveModel | null;
  /** The detector's training windows, and the first model's progress while there is none. */
  readonly training: ModelTraining;
}

export interface LevelCount {
  readonly level: string;
  readonly count: number;
}

export interface ServiceActivity {
  readonly service: string;
  readonly logs: number;
  readonly anomalies: number;
}

export interface TimelinePoint {
  /** Start of the minute. */
  readonly minute: string;
  readonly logs: number;
  readonly anomalies: number;
}

export interface FeatureContribution {
  readonly feature: string;
  readonly contribution: number;
}

export interface AnomalyCard {
  readonly logId: string;
  readonly ts: string;
  readonly detectedAt: string;
  readonly service: string;
  readonly level: string;
  /** Attacker-controlled text, cut to MAX_MESSAGE_CHARS: the page shows it as text only. */
  readonly message: string;
  readonly host: string | null;
  readonly experimentId: string | null;
  readonly score: number;
  readonly threshold: number;
  readonly modelVersion: string;
  /** Feature values the model scored, by name. */
  readonly features: Readonly<Record<string, number>>;
  /** Largest first. */
  readonly contributions: readonly FeatureContribution[];
}

export interface RecentLog {
  readonly logId: string;
  readonly ts: string;
  readonly service: string;
  readonly level: string;
  readonly message: string;
  readonly host: string | null;
  readonly anomalous: boolean;
  /** The anomaly score when flagged, else null. */
  readonly score: number | null;
}

export interface ActiveModel {
  readonly version: string;
  readonly trainedAt: string;
  readonly threshold: number;
  /** Records it was trained on. */
  readonly trainingRows: number;
  /** trainingRows < training.trainingWindow: a first model, refined as more records are stored. */
  readonly provisional: boolean;
}

/** The detector's TRAINING_WINDOW and FIRST_TRAINING_WINDOW, as the publisher's environment sets them. */
export interface ModelTraining {
  /** Records a full model is trained on. */
  readonly trainingWindow: number;
  /** Records stored before the first (provisional) model is trained; at most trainingWindow. */
  readonly firstTrainingWindow: number;
  /** While there is no model: logs stored, counted no further than firstTrainingWindow. Null once a model serves. */
  readonly storedTowardFirst: number | null;
}

/** The experiments index: newest first, at most MAX_EXPERIMENTS. */
export interface ExperimentsIndex {
  readonly schema: typeof DASHBOARD_SCHEMA;
  readonly kind: 'experiments-index';
  readonly generatedAt: string;
  readonly experiments: readonly ExperimentSummary[];
}

export type ExperimentStatus = 'running' | 'completed' | 'failed';

export interface ExperimentConfig {
  readonly id: string;
  readonly name: string;
  readonly status: ExperimentStatus;
  /** Why it failed (or any status note); null when there is none. */
  readonly statusReason: string | null;
  readonly producers: number;
  readonly consumers: number;
  readonly partitions: number;
  /** The experiment's own settings object (rates, batch sizes, …), as stored. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** A suite the experiment belongs to, when the experiments table records one. */
  readonly suiteId: string | null;
  /** Repetition number within the suite, when recorded. */
  readonly trial: number | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly durationSeconds: number;
}

export interface ExperimentSummary extends ExperimentConfig {
  /** The per-experiment object, relative to the page. */
  readonly key: string;
  /** Mean total records/s stored by the detectors (null when no detector metric arrived). */
  readonly detectorThroughput: number | null;
  readonly producerThroughput: number | null;
  /** 95th percentile of produce → store latency over the experiment's logs. */
  readonly latencyP95Ms: number | null;
  readonly detection: DetectionQuality | null;
}

export interface DetectionQuality {
  readonly precision: number | null;
  readonly recall: number | null;
  readonly f1: number | null;
  /** 'experiment': recorded by the experiment runner; 'labels': computed from ground-truth labels. */
  readonly source: 'experiment' | 'labels';
  /** Counts behind a 'labels' figure (null for 'experiment'). */
  readonly truePositives: number | null;
  readonly falsePositives: number | null;
  readonly falseNegatives: number | null;
}

/** One per experiment: everything the comparison view draws for it. */
export interface ExperimentDetail {
  readonly schema: typeof DASHBOARD_SCHEMA;
  readonly kind: 'experiment';
  readonly generatedAt: string;
  readonly experiment: ExperimentConfig;
  /** avg/min/max per component type and metric name. */
  readonly metrics: readonly MetricAggregate[];
  /** Total records/s per component type over time, seconds since the start; at most MAX_SERIES_POINTS. */
  readonly throughput: {
    readonly seconds: readonly number[];
    readonly producer: readonly (number | null)[];
    readonly detector: readonly (number | null)[];
  };
  readonly latency: LatencyDistribution | null;
  /** Lag per partition over time (max over consumer groups), at most MAX_LAG_PARTITIONS. */
  readonly lag: readonly PartitionLagSeries[];
  readonly detection: DetectionQuality | null;
}

export interface MetricAggregate {
  readonly component: string;
  readonly name: string;
  readonly unit: string | null;
  readonly samples: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
}

export interface LatencyDistribution {
  readonly records: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Histogram: counts[i] records took less than upperBoundsMs[i] (and at least the bound before); the last bound is null (open). */
  readonly upperBoundsMs: readonly (number | null)[];
  readonly counts: readonly number[];
}

export interface PartitionLagSeries {
  readonly topic: string;
  readonly partition: number;
  readonly seconds: readonly number[];
  readonly lag: readonly number[];
}

/** Size limits that keep every object small (the page downloads them every 10 s). */
export const dashboardLimits = Object.freeze({
  MAX_RECENT_LOGS: 500,
  MAX_RECENT_ANOMALIES: 50,
  MAX_SERVICES: 15,
  MAX_LEVELS: 10,
  MAX_MESSAGE_CHARS: 500,
  MAX_LABEL_CHARS: 120,
  MAX_FEATURES: 20,
  MAX_EXPERIMENTS: 100,
  MAX_SERIES_POINTS: 120,
  MAX_LAG_PARTITIONS: 32,
  MAX_METRIC_AGGREGATES: 60,
  /** No object is written larger than this (bytes of JSON). */
  MAX_OBJECT_BYTES: 2 * 1024 * 1024,
});

/** Latency histogram bucket upper bounds (ms), roughly logarithmic; one more open bucket follows. */
export const LATENCY_BOUNDS_MS: readonly number[] = Object.freeze([5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000]);
