import { InfrastructureError } from '../shared/errors.js';
import type { AnomalyLabel } from '../shared/log/index.js';
import { summarizeLatencies, type MetricsEmitter } from '../shared/metrics/index.js';
import { TokenBucket, toKafkaMessage, type LogGenerator, type LogKafkaMessage } from './generator/index.js';

export interface ProducerClock {
  /** ms since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface ProducerRunDependencies {
  /** Sends one batch to the logs topic (acks=-1); rejects when the batch was not delivered. */
  send(messages: LogKafkaMessage[]): Promise<void>;
  clock: ProducerClock;
  /** The Lambda's remaining time (context.getRemainingTimeInMillis). */
  remainingTimeMs(): number;
  emitter: Pick<MetricsEmitter, 'recordMetric' | 'flush'>;
}

export interface ProducerRunSettings {
  generator: LogGenerator;
  /** Records per second. */
  rate: number;
  count?: number;
  durationSeconds?: number;
  /** Interim metrics are flushed this often during long runs (ms). */
  metricsIntervalMs?: number;
  /** Stop when the Lambda has less than this left (ms). */
  safetyMarginMs?: number;
  /** Sends in flight at once (kafkajs batches). */
  maxInFlight?: number;
}

export type StopReason = 'count' | 'duration' | 'time-limit';

export interface ProducerSummary {
  sent: number;
  failed: number;
  anomalies: Record<Exclude<AnomalyLabel, 'none'>, number>;
  stoppedBecause: StopReason;
  elapsedSeconds: number;
  /** Records delivered per second of the run. */
  throughput: number;
  /** Latency of each send (a batch of records), ms. */
  sendLatencyMs: { p50: number; p95: number; p99: number; max: number };
  deliverySuccessRate: number;
}

/** Consecutive failed sends after which the run gives up (the broker is unreachable). */
const maxConsecutiveFailures = 3;

/**
 * Produces generated logs at `rate` records/s, held by a token bucket: the bucket's burst is
 * 50 ms worth of tokens and is drained at the start, so over D seconds about rate × D records
 * are sent (±1), whether the rate is 0.1/s or thousands/s. At high rates records go in batches
 * (up to 1/20 s worth, at most 500) with a few sends in flight. Emits producer metrics on the
 * metrics topic every `metricsIntervalMs` and at the end; returns a summary.
 */
export async function runProducer(settings: ProducerRunSettings, deps: ProducerRunDependencies): Promise<ProducerSummary> {
  const { generator, rate } = settings;
  const { clock } = deps;
  const metricsIntervalMs = settings.metricsIntervalMs ?? 10_000;
  const safetyMarginMs = settings.safetyMarginMs ?? 1_000;
  const maxInFlight = settings.maxInFlight ?? 4;
  const burst = Math.max(1, Math.ceil(rate * 0.05));
  const batchMax = Math.max(1, Math.min(500, Math.ceil(rate / 20)));
  const bucket = new TokenBucket(rate, burst, deps.clock);
  bucket.takeUpTo(burst - 1);

  const startMs = clock.now();
  const deadlineMs = settings.durationSeconds === undefined ? Infinity : startMs + settings.durationSeconds * 1000;
  const limit = settings.count ?? Infinity;
  const anomalies = { error_spike: 0, unexpected_service: 0, message_deviation: 0, temporal: 0, keyword: 0, anomaly: 0 };
  const allLatencies: number[] = [];
  const interval = { sent: 0, failed: 0, latencies: [] as number[], startMs };
  let generated = 0;
  let sent = 0;
  let failed = 0;
  let consecutiveFailures = 0;
  let lastError: unknown = null;
  const inFlight = new Set<Promise<void>>();

  const sendBatch = (messages: LogKafkaMessage[]) => {
    const started = clock.now();
    const sending = deps
      .send(messages)
      .then(
        () => {
          const latency = clock.now() - started;
          allLatencies.push(latency);
          interval.latencies.push(latency);
          sent += messages.length;
          interval.sent += messages.length;
          consecutiveFailures = 0;
        },
        (error: unknown) => {
          failed += messages.length;
          interval.failed += messages.length;
          consecutiveFailures += 1;
          lastError = error;
        },
      )
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  };

  const flushInterval = async (nowMs: number) => {
    const seconds = Math.max((nowMs - interval.startMs) / 1000, 1e-3);
    recordProducerMetrics(deps.emitter, interval.sent, interval.failed, interval.sent / seconds, interval.latencies);
    interval.sent = interval.failed = 0;
    interval.latencies = [];
    interval.startMs = nowMs;
    await deps.emitter.flush().catch(() => undefined); // metrics are best effort; logs are the payload
  };

  let stoppedBecause: StopReason;
  for (;;) {
    const now = clock.now();
    if (generated >= limit) {
      stoppedBecause = 'count';
      break;
    }
    if (now >= deadlineMs) {
      stoppedBecause = 'duration';
      break;
    }
    if (deps.remainingTimeMs() < safetyMarginMs) {
      stoppedBecause = 'time-limit';
      break;
    }
    if (consecutiveFailures >= maxConsecutiveFailures) break;
    if (now - interval.startMs >= metricsIntervalMs) await flushInterval(now);

    const granted = bucket.takeUpTo(Math.min(batchMax, limit - generated));
    if (granted === 0) {
      await clock.sleep(Math.max(1, Math.min(bucket.waitMs(1), deadlineMs - now)));
      continue;
    }
    const messages: LogKafkaMessage[] = [];
    for (let i = 0; i < granted; i++) {
      const log = generator.next(now);
      if (log.label !== 'none') anomalies[log.label] += 1;
      messages.push(toKafkaMessage(log));
    }
    generated += granted;
    while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    sendBatch(messages);
  }
  await Promise.all(inFlight);
  if (consecutiveFailures >= maxConsecutiveFailures) {
    throw new InfrastructureError(
      `producer gave up after ${maxConsecutiveFailures} failed sends in a row (${sent} records delivered, ${failed} failed): ${(lastError as Error)?.message ?? lastError}`,
      { cause: lastError },
    );
  }

  const endMs = clock.now();
  await flushInterval(endMs);
  const elapsedSeconds = (endMs - startMs) / 1000;
  const latency = summarizeLatencies(allLatencies) ?? { p50: 0, p95: 0, p99: 0, max: 0 };
  return {
    sent,
    failed,
    anomalies,
    stoppedBecause: stoppedBecause!,
    elapsedSeconds,
    throughput: elapsedSeconds > 0 ? sent / elapsedSeconds : sent,
    sendLatencyMs: { p50: latency.p50, p95: latency.p95, p99: latency.p99, max: latency.max },
    deliverySuccessRate: sent + failed === 0 ? 1 : sent / (sent + failed),
  };
}

/** The seed system's producer metrics for one interval. */
function recordProducerMetrics(
  emitter: Pick<MetricsEmitter, 'recordMetric'>,
  sent: number,
  failed: number,
  throughput: number,
  latencies: readonly number[],
): void {
  emitter.recordMetric('records_sent', sent, 'records');
  emitter.recordMetric('records_failed', failed, 'records');
  emitter.recordMetric('throughput', throughput, 'records/s');
  emitter.recordMetric('delivery_success_rate', sent + failed === 0 ? 1 : sent / (sent + failed), 'ratio');
  const summary = summarizeLatencies(latencies);
  if (summary) {
    emitter.recordMetric('send_latency_p50', summary.p50, 'ms');
    emitter.recordMetric('send_latency_p95', summary.p95, 'ms');
    emitter.recordMetric('send_latency_p99', summary.p99, 'ms');
  }
}
