import {
  DASHBOARD_SCHEMA,
  type DetectionQuality,
  type ExperimentConfig,
  type ExperimentDetail,
  type ExperimentsIndex,
  type ExperimentStatus,
} from '../../../functions/dashboard-publisher/dashboard-data.js';
import { DataError, Shape, type Json } from './shape.js';

/** Checks data/experiments/index.json; throws DataError. */
export function checkExperimentsIndex(value: Json, source: string): ExperimentsIndex {
  const shape = new Shape(source);
  const root = shape.header(value, 'experiments-index', DASHBOARD_SCHEMA);
  return {
    schema: DASHBOARD_SCHEMA,
    kind: 'experiments-index',
    generatedAt: shape.string(root.generatedAt, 'generatedAt'),
    experiments: shape.array(root.experiments, 'experiments', 1000).map((item, i) => {
      const path = `experiments[${i}]`;
      const summary = shape.object(item, path);
      const key = shape.string(summary.key, `${path}.key`);
      // Keys are relative paths inside the bucket's data/experiments/ folder, nothing else.
      if (!/^data\/experiments\/[A-Za-z0-9._-]+\.json$/.test(key)) throw new DataError(`${source} is malformed: ${path}.key is not a data object key`);
      return {
        ...checkConfig(shape, summary, path),
        key,
        producerThroughput: shape.numberOrNull(summary.producerThroughput ?? null, `${path}.producerThroughput`),
        detectorThroughput: shape.numberOrNull(summary.detectorThroughput ?? null, `${path}.detectorThroughput`),
        latencyP95Ms: shape.numberOrNull(summary.latencyP95Ms ?? null, `${path}.latencyP95Ms`),
        detection: checkDetection(shape, summary.detection ?? null, `${path}.detection`),
      };
    }),
  };
}

/** Checks one data/experiments/<key>.json; throws DataError. */
export function checkExperimentDetail(value: Json, source: string): ExperimentDetail {
  const shape = new Shape(source);
  const root = shape.header(value, 'experiment', DASHBOARD_SCHEMA);
  const throughput = shape.object(root.throughput, 'throughput');
  const numbers = (list: Json, path: string): number[] => shape.array(list, path).map((item, i) => shape.number(item, `${path}[${i}]`));
  const numbersOrNull = (list: Json, path: string): (number | null)[] => shape.array(list, path).map((item, i) => shape.numberOrNull(item, `${path}[${i}]`));
  const latency = root.latency === null ? null : shape.object(root.latency, 'latency');
  return {
    schema: DASHBOARD_SCHEMA,
    kind: 'experiment',
    generatedAt: shape.string(root.generatedAt, 'generatedAt'),
    experiment: checkConfig(shape, shape.object(root.experiment, 'experiment'), 'experiment'),
    metrics: shape.array(root.metrics, 'metrics', 500).map((item, i) => {
      const metric = shape.object(item, `metrics[${i}]`);
      return {
        component: shape.string(metric.component, `metrics[${i}].component`),
        name: shape.string(metric.name, `metrics[${i}].name`),
        unit: shape.stringOrNull(metric.unit, `metrics[${i}].unit`),
        samples: shape.number(metric.samples, `metrics[${i}].samples`),
        avg: shape.number(metric.avg, `metrics[${i}].avg`),
        min: shape.number(metric.min, `metrics[${i}].min`),
        max: shape.number(metric.max, `metrics[${i}].max`),
      };
    }),
    throughput: {
      seconds: numbers(throughput.seconds, 'throughput.seconds'),
      producer: numbersOrNull(throughput.producer, 'throughput.producer'),
      detector: numbersOrNull(throughput.detector, 'throughput.detector'),
    },
    latency:
      latency === null
        ? null
        : {
            records: shape.number(latency.records, 'latency.records'),
            p50: shape.number(latency.p50, 'latency.p50'),
            p90: shape.number(latency.p90, 'latency.p90'),
            p95: shape.number(latency.p95, 'latency.p95'),
            p99: shape.number(latency.p99, 'latency.p99'),
            max: shape.number(latency.max, 'latency.max'),
            upperBoundsMs: numbersOrNull(latency.upperBoundsMs, 'latency.upperBoundsMs'),
            counts: numbers(latency.counts, 'latency.counts'),
          },
    lag: shape.array(root.lag, 'lag', 256).map((item, i) => {
      const series = shape.object(item, `lag[${i}]`);
      return {
        topic: shape.string(series.topic, `lag[${i}].topic`),
        partition: shape.number(series.partition, `lag[${i}].partition`),
        seconds: numbers(series.seconds, `lag[${i}].seconds`),
        lag: numbers(series.lag, `lag[${i}].lag`),
      };
    }),
    detection: checkDetection(shape, root.detection ?? null, 'detection'),
  };
}

function checkConfig(shape: Shape, config: Record<string, Json>, path: string): ExperimentConfig {
  const status = shape.string(config.status, `${path}.status`);
  if (status !== 'running' && status !== 'completed' && status !== 'failed') shape.fail(`${path}.status`, 'running, completed or failed', status);
  return {
    id: shape.string(config.id, `${path}.id`),
    name: shape.string(config.name, `${path}.name`),
    status: status as ExperimentStatus,
    statusReason: shape.stringOrNull(config.statusReason, `${path}.statusReason`),
    producers: shape.number(config.producers, `${path}.producers`),
    consumers: shape.number(config.consumers, `${path}.consumers`),
    partitions: shape.number(config.partitions, `${path}.partitions`),
    settings: shape.object(config.settings ?? {}, `${path}.settings`),
    suiteId: shape.stringOrNull(config.suiteId, `${path}.suiteId`),
    trial: shape.numberOrNull(config.trial ?? null, `${path}.trial`),
    startedAt: shape.string(config.startedAt, `${path}.startedAt`),
    endedAt: shape.stringOrNull(config.endedAt, `${path}.endedAt`),
    durationSeconds: shape.number(config.durationSeconds, `${path}.durationSeconds`),
  };
}

function checkDetection(shape: Shape, value: Json, path: string): DetectionQuality | null {
  if (value === null) return null;
  const detection = shape.object(value, path);
  const source = detection.source === 'experiment' ? 'experiment' : 'labels';
  return {
    precision: shape.numberOrNull(detection.precision ?? null, `${path}.precision`),
    recall: shape.numberOrNull(detection.recall ?? null, `${path}.recall`),
    f1: shape.numberOrNull(detection.f1 ?? null, `${path}.f1`),
    source,
    truePositives: shape.numberOrNull(detection.truePositives ?? null, `${path}.truePositives`),
    falsePositives: shape.numberOrNull(detection.falsePositives ?? null, `${path}.falsePositives`),
    falseNegatives: shape.numberOrNull(detection.falseNegatives ?? null, `${path}.falseNegatives`),
  };
}
