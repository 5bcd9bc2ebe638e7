import type { Producer } from 'kafkajs';
import { ConfigError, InfrastructureError, ValidationError } from '../errors.js';
import {
  componentIdPattern,
  experimentIdPattern,
  metricLimits,
  metricNamePattern,
  metricRecordSchema,
  metricUnitPattern,
  type ComponentType,
  type Metric,
  type MetricRecord,
} from './metric-record.js';

export interface MetricsEmitterOptions {
  /** A connected kafkajs producer (getProducer()); only `send` is used. */
  producer: Pick<Producer, 'send'>;
  /** The metrics topic (METRICS_TOPIC). */
  topic: string;
  componentType: ComponentType;
  componentId: string;
  experimentId: string | null;
  /** Clock for the record's ts; tests pin it. */
  now?: () => Date;
}

/** Reported in the next record when metrics had to be dropped because one record was full. */
export const droppedMetricName = 'metrics.dropped';

/**
 * Collects metrics during an invocation and sends them as ONE Kafka record per flush to the
 * metrics topic, keyed by componentId (so one component's records stay in order on one
 * partition). At most 99 metrics are kept per flush; later ones are dropped and counted in a
 * `metrics.dropped` metric. Metrics of a failed send are lost, not resent (no double counting).
 */
export class MetricsEmitter {
  private pending: Metric[] = [];
  private dropped = 0;
  private readonly now: () => Date;

  constructor(private readonly options: MetricsEmitterOptions) {
    if (!componentIdPattern.test(options.componentId) || options.componentId.length > metricLimits.maxComponentIdChars) {
      throw new ConfigError('MetricsEmitter componentId must be 1–256 of letters, digits and . _ : @ / $ [ ] -');
    }
    if (options.experimentId !== null && (!experimentIdPattern.test(options.experimentId) || options.experimentId.length > metricLimits.maxExperimentIdChars)) {
      throw new ConfigError('MetricsEmitter experimentId must be null or 1–128 of letters, digits and . _ : @ / -');
    }
    this.now = options.now ?? (() => new Date());
  }

  /** Metrics waiting for the next flush. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /**
   * Queues one metric. Throws ValidationError for a name or unit outside the metric record
   * rules or a value that is not a finite number (a programming error, caught in tests).
   */
  recordMetric(name: string, value: number, unit?: string): void {
    if (name.length > metricLimits.maxNameChars || !metricNamePattern.test(name)) {
      throw new ValidationError(`metric name ${JSON.stringify(name.slice(0, 40))} must start with a letter and be at most ${metricLimits.maxNameChars} of letters, digits and _ . : / -`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new ValidationError(`metric ${name} has value ${String(value)}; metric values must be finite numbers`);
    }
    if (unit !== undefined && (unit.length > metricLimits.maxUnitChars || !metricUnitPattern.test(unit))) {
      throw new ValidationError(`metric ${name} has unit ${JSON.stringify(unit.slice(0, 40))}; units are at most ${metricLimits.maxUnitChars} of letters, digits, spaces and % / _ -`);
    }
    const metric = unit === undefined ? { name, value } : { name, value, unit };
    // A name recorded again before the flush replaces its earlier value (a record carries each
    // metric name once: the aggregator stores one row per record and name).
    const earlier = this.pending.findIndex((queued) => queued.name === name);
    if (earlier >= 0) {
      this.pending[earlier] = metric;
      return;
    }
    // One slot stays free for the dropped-metrics count.
    if (this.pending.length >= metricLimits.maxMetrics - 1) {
      this.dropped += 1;
      return;
    }
    this.pending.push(metric);
  }

  /**
   * Sends everything queued as one record and returns it; returns null (and sends nothing) when
   * nothing is queued. A failed send throws InfrastructureError; its metrics are not kept.
   */
  async flush(): Promise<MetricRecord | null> {
    if (this.pending.length === 0 && this.dropped === 0) return null;
    const metrics = this.pending;
    if (this.dropped > 0) metrics.push({ name: droppedMetricName, value: this.dropped, unit: 'Count' });
    this.pending = [];
    this.dropped = 0;

    const record: MetricRecord = metricRecordSchema.parse({
      experimentId: this.options.experimentId,
      componentType: this.options.componentType,
      componentId: this.options.componentId,
      metrics,
      ts: this.now().toISOString(),
    });
    try {
      await this.options.producer.send({
        topic: this.options.topic,
        // Metrics are best effort and sent on a handler's critical path: acks=1 (the leader has
        // the record) rather than waiting for all replicas. (The local MSK, a single node, answers
        // acks=1 only once the record is synced, so that an acknowledged record is never lost.)
        acks: 1,
        messages: [{ key: record.componentId, value: JSON.stringify(record), headers: { 'content-type': 'application/json' } }],
      });
    } catch (error) {
      throw new InfrastructureError(`sending ${metrics.length} metrics to topic ${this.options.topic} failed; they are dropped`, { cause: error });
    }
    return record;
  }
}
