import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { MetricsEmitter, summarizeLatencies } from '../../functions/shared/metrics/index.js';
import type { MappingLogger } from './logger.js';

export interface MappingMetricsOptions {
  kafka: Kafka;
  /** The metrics topic (METRICS_TOPIC). */
  topic: string;
  /** e.g. "detector/log-anomaly-detection-dev-detector": names the mapping in performance_metrics. */
  componentId: string;
  experimentId: string | null;
  /** How often one metrics record is sent, in ms. */
  intervalMs: number;
  logger: MappingLogger;
}

/**
 * The mapping's own figures, sent to the metrics topic as one record per interval: batches and
 * records invoked, records filtered out, failed invocations, invoke latency (p50/p95/max, ms) over
 * the interval, and lag (records behind the log end, summed over partitions, as of each
 * partition's latest fetch). Counters restart each interval; lag is a gauge.
 */
export class MappingMetrics {
  private batches = 0;
  private records = 0;
  private filtered = 0;
  private failures = 0;
  private latenciesMs: number[] = [];
  private readonly lagByPartition = new Map<string, number>();
  private producer: Producer | null = null;
  private emitter: MetricsEmitter | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: MappingMetricsOptions | null) {}

  invoked(records: number, latencyMs: number, ok: boolean): void {
    if (ok) {
      this.batches += 1;
      this.records += records;
    } else {
      this.failures += 1;
    }
    if (this.latenciesMs.length < 100_000) this.latenciesMs.push(latencyMs);
  }

  filteredOut(records: number): void {
    this.filtered += records;
  }

  lag(topic: string, partition: number, recordsBehind: number): void {
    this.lagByPartition.set(`${topic}-${partition}`, Math.max(0, recordsBehind));
  }

  /** Total lag over the partitions this mapping has fetched from. */
  get totalLag(): number {
    let total = 0;
    for (const lag of this.lagByPartition.values()) total += lag;
    return total;
  }

  async start(): Promise<void> {
    if (this.options === null || this.timer !== null) return;
    const { kafka, topic, componentId, experimentId, intervalMs } = this.options;
    this.producer = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
    await this.producer.connect();
    this.emitter = new MetricsEmitter({ producer: this.producer, topic, componentType: 'event-source-mapping', componentId, experimentId });
    this.timer = setInterval(() => void this.flush(), intervalMs);
  }

  /** Sends what was counted since the last flush (best effort: a failed send is logged). */
  async flush(): Promise<void> {
    const emitter = this.emitter;
    if (emitter === null) return;
    const latency = summarizeLatencies(this.latenciesMs);
    emitter.recordMetric('esm.batches', this.batches, 'Count');
    emitter.recordMetric('esm.records', this.records, 'Count');
    emitter.recordMetric('esm.records_filtered', this.filtered, 'Count');
    emitter.recordMetric('esm.invoke_errors', this.failures, 'Count');
    if (latency !== null) {
      emitter.recordMetric('esm.invoke_latency_p50_ms', latency.p50, 'Milliseconds');
      emitter.recordMetric('esm.invoke_latency_p95_ms', latency.p95, 'Milliseconds');
      emitter.recordMetric('esm.invoke_latency_max_ms', latency.max, 'Milliseconds');
    }
    emitter.recordMetric('esm.lag', this.totalLag, 'Count');
    this.batches = this.records = this.filtered = this.failures = 0;
    this.latenciesMs = [];
    await emitter.flush().catch((error: unknown) => this.options?.logger.error('sending mapping metrics failed', { error: String(error) }));
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = null;
    this.emitter = null;
  }
}
