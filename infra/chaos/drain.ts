/**
 * Waiting for the pipeline to drain: the detector's consumer group has committed, on every
 * partition of topic `logs`, up to the partition's high watermark. The mapping commits a record
 * only after the detector stored it (or dead-lettered it) and the transaction committed, so a
 * drained group means every record in the topic was dealt with and its row is visible.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';

export interface Lag {
  /** Records behind the high watermarks, over all partitions (never-committed partitions count from 0). */
  readonly records: number;
  /** Sum of the partitions' high watermarks. */
  readonly endOffsets: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class LagReader {
  private readonly kafka: Kafka;
  private admin: Admin | null = null;

  constructor(
    bootstrap: string,
    private readonly groupId: string,
    private readonly topic: string,
  ) {
    this.kafka = new Kafka({ clientId: 'chaos-lag', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 200 }, connectionTimeout: 3_000 });
  }

  /** The group's lag now; rejects when the broker does not answer (the caller asks again later). */
  async read(): Promise<Lag> {
    try {
      const admin = await this.connected();
      const ends = await admin.fetchTopicOffsets(this.topic);
      const [committed] = await admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] });
      const committedBy = new Map((committed?.partitions ?? []).map((entry) => [entry.partition, Number(entry.offset)]));
      let records = 0;
      let endOffsets = 0;
      for (const end of ends) {
        const high = Number(end.high);
        const done = Math.max(0, committedBy.get(end.partition) ?? 0); // -1: nothing committed yet
        records += Math.max(0, high - done);
        endOffsets += high;
      }
      return { records, endOffsets };
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Admin> {
    if (this.admin !== null) return this.admin;
    const admin = this.kafka.admin();
    await admin.connect();
    this.admin = admin;
    return admin;
  }
}

export interface DrainOutcome {
  readonly drained: boolean;
  /** Lag when the wait ended (null: the broker never answered). */
  readonly lag: Lag | null;
  readonly seconds: number;
}

/**
 * Polls the lag every `pollMs` until it is 0 or `limitMs` has passed with no progress at all
 * (the lag did not shrink), reporting it every `reportEveryMs`. A bound against a stuck pipeline,
 * not a performance figure: a pipeline still making progress is waited for.
 */
export async function waitForDrain(reader: LagReader, options: { limitMs: number; pollMs?: number; reportEveryMs?: number; note: (line: string) => void; aborted: () => boolean }): Promise<DrainOutcome> {
  const started = Date.now();
  const pollMs = options.pollMs ?? 500;
  const reportEveryMs = options.reportEveryMs ?? 10_000;
  let lastProgressAt = started;
  let lastReportAt = started;
  let lag: Lag | null = null;
  let best = Number.POSITIVE_INFINITY;
  while (!options.aborted()) {
    try {
      lag = await reader.read();
      if (lag.records === 0) return { drained: true, lag, seconds: (Date.now() - started) / 1000 };
      if (lag.records < best) {
        best = lag.records;
        lastProgressAt = Date.now();
      }
    } catch {
      // The broker did not answer this time; the limit below still applies.
    }
    if (Date.now() - lastProgressAt > options.limitMs) break;
    if (Date.now() - lastReportAt >= reportEveryMs) {
      lastReportAt = Date.now();
      options.note(`draining: ${lag === null ? 'lag unknown (the broker does not answer)' : `${lag.records} records not yet stored`}`);
    }
    await sleep(pollMs);
  }
  return { drained: false, lag, seconds: (Date.now() - started) / 1000 };
}
