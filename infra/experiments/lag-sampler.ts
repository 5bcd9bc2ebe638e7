/**
 * Consumer lag of the detector's mapping, sampled from the Kafka admin API (the group's committed
 * offsets against each partition's log end) every `intervalMs` and on demand, stored in
 * `consumer_lag` with the experiment id (consumer_id = the group id). A partition with no commit
 * yet counts as current_offset −1 with lag = log end − log start (as the metrics-aggregator does).
 * `maxConsecutiveFailures` failed samples in a row (Kafka or PostgreSQL gone) call `onFailure`.
 */
import type { Admin, Kafka } from 'kafkajs';
import type pg from 'pg';
import { insertConsumerLag } from '../../functions/shared/db/index.js';

export interface PartitionLag {
  readonly partition: number;
  readonly committed: number;
  readonly logEnd: number;
  readonly lag: number;
}

export interface LagSample {
  readonly timestampMs: number;
  readonly partitions: readonly PartitionLag[];
  readonly total: number;
}

export interface LagSamplerOptions {
  readonly kafka: Kafka;
  readonly pool: pg.Pool;
  readonly experimentId: string;
  readonly topic: string;
  readonly groupId: string;
  readonly intervalMs: number;
  readonly maxConsecutiveFailures: number;
  readonly onFailure: (reason: string) => void;
}

export class LagSampler {
  readonly samples: LagSample[] = [];
  private admin: Admin | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failuresInARow = 0;
  private sampling: Promise<LagSample | null> | null = null;
  private lastTimestampMs = 0;

  constructor(private readonly options: LagSamplerOptions) {}

  async start(): Promise<void> {
    this.admin = this.options.kafka.admin();
    await this.admin.connect();
    this.timer = setInterval(() => void this.sampleNow().catch(() => undefined), this.options.intervalMs);
  }

  /** One sample now (shares one already in flight); null when sampling failed. */
  sampleNow(): Promise<LagSample | null> {
    this.sampling ??= this.takeSample().finally(() => {
      this.sampling = null;
    });
    return this.sampling;
  }

  /** The newest successful sample, or null. */
  get latest(): LagSample | null {
    return this.samples[this.samples.length - 1] ?? null;
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.sampling?.catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = null;
  }

  private async takeSample(): Promise<LagSample | null> {
    const admin = this.admin;
    if (admin === null) return null;
    const { topic, groupId } = this.options;
    try {
      const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
      // consumer_lag is unique per (consumer, topic, partition, timestamp): never two samples in one ms.
      const timestampMs = Math.max(Date.now(), this.lastTimestampMs + 1);
      this.lastTimestampMs = timestampMs;
      const committedBy = new Map((committed[0]?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
      const partitions = ends
        .map((end) => {
          const logEnd = Number(end.high);
          const current = committedBy.get(end.partition) ?? -1;
          const lag = current < 0 ? logEnd - Number(end.low) : Math.max(0, logEnd - current);
          return { partition: end.partition, committed: current < 0 ? -1 : current, logEnd, lag };
        })
        .sort((a, b) => a.partition - b.partition);
      const sample: LagSample = { timestampMs, partitions, total: partitions.reduce((sum, p) => sum + p.lag, 0) };
      await insertConsumerLag(
        this.options.pool,
        partitions.map((p) => ({ experimentId: this.options.experimentId, consumerId: groupId, topic, partition: p.partition, currentOffset: p.committed, logEndOffset: p.logEnd, lag: p.lag, timestamp: new Date(timestampMs) })),
      );
      this.samples.push(sample);
      this.failuresInARow = 0;
      return sample;
    } catch (error) {
      this.failuresInARow += 1;
      if (this.failuresInARow === this.options.maxConsecutiveFailures) {
        this.options.onFailure(`consumer lag could not be sampled ${this.failuresInARow} times in a row (Kafka or PostgreSQL unreachable): ${(error as Error).message}`);
      }
      return null;
    }
  }
}
