/**
 * The chaos run's producer: realistic log records (the producer function's generator, seeded)
 * sent to topic `logs` at a target rate by a kafkajs idempotent producer (acks = -1), retrying
 * every failed send until the broker acknowledges it.
 *
 * How records are counted. Each record's payload id is `chaos-<n>`, n = 0, 1, 2, … in send order.
 * Records go out in batches, one send at a time, and a batch is sent again — the same messages,
 * in the same order — until it is acknowledged; only then is the next batch made. So the records
 * acknowledged are exactly `chaos-0` … `chaos-<produced − 1>`, and none is ever left unacknowledged.
 * A send the broker wrote but could not answer (it was killed) is retried with the same producer id
 * and sequence numbers, which the broker's idempotence turns into the original offsets: a record
 * reaches the topic once however often it was sent. One send at a time is what makes that hold with
 * kafkajs: it gives back the sequence numbers of a failed send, and a send queued behind it would
 * take them over. Only when the producer itself must be replaced (a send refused for a reason a
 * retry does not cure, three times running) can a resent record land twice; `producerResets`
 * counts that, and the verification tells such copies apart.
 */
import { Kafka, Partitioners, logLevel, type Message, type Producer } from 'kafkajs';
import { createLogGenerator } from '../../functions/producer/generator/index.js';
import { LABEL_HEADER } from '../../functions/shared/log/anomaly-label.js';
import { serializeLogRecord } from '../../functions/shared/log/parse-log-record.js';

export interface ChaosProducerOptions {
  readonly bootstrap: string;
  readonly topic: string;
  /** Records per second offered. */
  readonly rate: number;
  readonly seed: number;
  /** Called with one line per notable event (a producer reset). */
  readonly note: (line: string) => void;
}

export interface ProducerFigures {
  /** Records acknowledged: ids chaos-0 … chaos-(produced − 1). */
  produced: number;
  /** Sends that failed and were sent again (kafkajs's own retries inside one send are not counted). */
  failedSends: number;
  /** Times the kafkajs producer was replaced (new producer id) after sends kept failing. */
  producerResets: number;
  /** Longest time one batch took from its first send to its acknowledgement, in ms (outages show here). */
  longestSendMs: number;
}

/** Payload id of the n-th record. */
export const recordId = (n: number): string => `chaos-${n}`;
/** `chaos-<n>` ids, as a PostgreSQL regular expression (the verification reads n back). */
export const recordIdPattern = '^chaos-[0-9]{1,15}$';

/** How often the pacer wakes, in ms. */
const tickMs = 20;
/** Most records per send (~400 B each: well under the broker's 1 MB batch limit). */
const maxBatchRecords = 1_000;
/** Pause before a failed send goes again, in ms. */
const resendDelayMs = 250;
/** Failed sends in a row after which the kafkajs producer is replaced. */
const resetAfterFailures = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ChaosProducer {
  readonly figures: ProducerFigures = { produced: 0, failedSends: 0, producerResets: 0, longestSendMs: 0 };
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private readonly generator;
  private stopRequested = false;

  constructor(private readonly options: ChaosProducerOptions) {
    this.kafka = new Kafka({
      clientId: 'chaos-producer',
      brokers: [options.bootstrap],
      logLevel: logLevel.NOTHING,
      // Reconnect quickly once a killed broker is back (it takes a few seconds).
      retry: { initialRetryTime: 200, maxRetryTime: 2_000 },
      connectionTimeout: 3_000,
      requestTimeout: 30_000,
    });
    this.generator = createLogGenerator({ anomalyRate: 0.05, seed: `chaos:${options.seed}`, producerId: 'chaos' });
  }

  /**
   * Sends at `rate` records/s for `durationMs` (pacing from the start: after an outage it catches
   * up with full batches), then waits for the batch in hand to be acknowledged. Resolves with the
   * figures; never rejects for broker failures (it retries them), only when `stop()` was called
   * before the batch in hand was acknowledged (produced then counts what was acknowledged).
   */
  async run(durationMs: number): Promise<ProducerFigures> {
    const started = Date.now();
    const total = Math.floor((durationMs / 1000) * this.options.rate);
    while (this.figures.produced < total && !this.stopRequested) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * this.options.rate));
      if (due <= this.figures.produced) {
        await sleep(tickMs);
        continue;
      }
      const count = Math.min(maxBatchRecords, due - this.figures.produced);
      const messages = this.makeMessages(this.figures.produced, count);
      if (!(await this.sendUntilAcknowledged(messages))) break;
      this.figures.produced += count;
    }
    return this.figures;
  }

  /** Stops after the send in hand (which is not retried any more). */
  stop(): void {
    this.stopRequested = true;
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private makeMessages(first: number, count: number): Message[] {
    const now = Date.now();
    const messages: Message[] = [];
    for (let n = first; n < first + count; n++) {
      const generated = this.generator.next(now);
      // As the producer function sends it (key = service, label header), with the run's own id.
      messages.push({
        key: generated.key,
        value: serializeLogRecord({ ...generated.record, id: recordId(n) }),
        headers: { [LABEL_HEADER]: generated.label },
        timestamp: String(now),
      });
    }
    return messages;
  }

  /** Sends `messages` until acknowledged; false if stop() came first. */
  private async sendUntilAcknowledged(messages: Message[]): Promise<boolean> {
    let failuresInARow = 0;
    const firstSentAt = Date.now();
    for (;;) {
      let producer: Producer;
      try {
        producer = await this.connected();
      } catch {
        // The broker is down: kafkajs gave up connecting for now; try again shortly.
        if (this.stopRequested) return false;
        await sleep(resendDelayMs);
        continue;
      }
      try {
        await producer.send({ topic: this.options.topic, acks: -1, timeout: 30_000, messages });
        this.figures.longestSendMs = Math.max(this.figures.longestSendMs, Date.now() - firstSentAt);
        return true;
      } catch (error) {
        this.figures.failedSends += 1;
        failuresInARow += 1;
        if (this.stopRequested) return false;
        if (failuresInARow >= resetAfterFailures) {
          // kafkajs retries connection failures inside one send without end: a send that still
          // fails was refused for good (e.g. its sequence state is gone). A new producer id starts over.
          this.options.note(`producer: ${failuresInARow} sends failed in a row (${(error as Error).message}); replacing the producer`);
          this.figures.producerResets += 1;
          await this.close();
          failuresInARow = 0;
        }
        await sleep(resendDelayMs);
      }
    }
  }

  private async connected(): Promise<Producer> {
    if (this.producer !== null) return this.producer;
    // Idempotent: acks=-1, one request in flight, sequence numbers per partition (see the header).
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }
}
