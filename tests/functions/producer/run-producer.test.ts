import { describe, expect, it } from 'vitest';
import { InfrastructureError } from '../../../functions/shared/errors.js';
import { createLogGenerator } from '../../../functions/producer/generator/index.js';
import type { LogKafkaMessage } from '../../../functions/producer/generator/index.js';
import { runProducer, type ProducerClock } from '../../../functions/producer/run-producer.js';

/** A clock whose sleep advances time instantly, so a run's record count follows from the rate alone. */
function simulatedClock(startMs = Date.UTC(2026, 10, 24, 12)): ProducerClock & { slept: number } {
  let now = startMs;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: async (ms: number) => {
      clock.slept += ms;
      now += ms;
    },
  };
  return clock;
}

function collectingEmitter() {
  const flushed: { name: string; value: number }[][] = [];
  let pending: { name: string; value: number }[] = [];
  return {
    flushed,
    recordMetric: (name: string, value: number) => void pending.push({ name, value }),
    flush: async () => {
      flushed.push(pending);
      pending = [];
      return null;
    },
  };
}

describe('runProducer', () => {
  it.each([
    [1, 10, 10],
    [0.5, 20, 10],
    [100, 3, 300],
    [5000, 2, 10000],
  ])('sends rate × duration records at %s/s over %s s (counted: %s)', async (rate, durationSeconds, expected) => {
    // Prepare
    const clock = simulatedClock();
    const sent: LogKafkaMessage[] = [];
    const emitter = collectingEmitter();

    // Act
    const summary = await runProducer(
      { generator: createLogGenerator({ anomalyRate: 0.05, seed: 7 }), rate, durationSeconds },
      { send: async (messages) => void sent.push(...messages), clock, remainingTimeMs: () => 900_000, emitter },
    );

    // Assess: the token bucket holds the rate over the run, to within the first token and one
    // millisecond's worth of tokens (the clock's resolution)
    expect(Math.abs(sent.length - expected)).toBeLessThanOrEqual(Math.max(1, Math.ceil(rate / 1000)));
    expect(summary).toMatchObject({ sent: sent.length, failed: 0, stoppedBecause: 'duration', deliverySuccessRate: 1 });
  });

  it('stops at count, labels anomalies in the header only, and reports the seed metrics', async () => {
    // Prepare
    const sent: LogKafkaMessage[] = [];
    const emitter = collectingEmitter();

    // Act
    const summary = await runProducer(
      { generator: createLogGenerator({ anomalyRate: 0.2, seed: 11 }), rate: 1000, count: 2000 },
      { send: async (messages) => void sent.push(...messages), clock: simulatedClock(), remainingTimeMs: () => 900_000, emitter },
    );

    // Assess
    const labelled = sent.filter((message) => message.headers['x-anomaly-label'] !== 'none').length;
    expect(sent).toHaveLength(2000);
    expect(summary.stoppedBecause).toBe('count');
    expect(Object.values(summary.anomalies).reduce((a, b) => a + b, 0)).toBe(labelled);
    expect(sent.every((message) => !message.value.toString().includes('x-anomaly-label') && !/"label"/.test(message.value.toString()))).toBe(true);
    const names = emitter.flushed.flat().map((metric) => metric.name);
    expect(names).toEqual(expect.arrayContaining(['records_sent', 'records_failed', 'throughput', 'delivery_success_rate', 'send_latency_p50', 'send_latency_p95', 'send_latency_p99']));
    expect(emitter.flushed.flat().filter((m) => m.name === 'records_sent').reduce((a, m) => a + m.value, 0)).toBe(2000);
  });

  it('flushes interim metrics during long runs', async () => {
    // Prepare
    const emitter = collectingEmitter();

    // Act: 35 s at 2/s with a 10 s metrics interval
    await runProducer(
      { generator: createLogGenerator({ anomalyRate: 0, seed: 1 }), rate: 2, durationSeconds: 35, metricsIntervalMs: 10_000 },
      { send: async () => undefined, clock: simulatedClock(), remainingTimeMs: () => 900_000, emitter },
    );

    // Assess: three interim flushes and a final one, adding up to every record
    expect(emitter.flushed).toHaveLength(4);
    expect(emitter.flushed.flat().filter((m) => m.name === 'records_sent').reduce((a, m) => a + m.value, 0)).toBe(70);
  });

  it('stops before the Lambda runs out of time', async () => {
    // Prepare: the invocation has 5 s left and the safety margin is 1 s
    const clock = simulatedClock();
    const deadline = clock.now() + 5_000;

    // Act
    const summary = await runProducer(
      { generator: createLogGenerator({ anomalyRate: 0, seed: 1 }), rate: 10, count: 1_000 },
      { send: async () => undefined, clock, remainingTimeMs: () => deadline - clock.now(), emitter: collectingEmitter() },
    );

    // Assess
    expect(summary.stoppedBecause).toBe('time-limit');
    expect(Math.abs(summary.sent - 40)).toBeLessThanOrEqual(1);
  });

  it('gives up with an InfrastructureError when sends keep failing, saying how much was delivered', async () => {
    // Prepare
    let calls = 0;
    const send = async () => {
      calls += 1;
      if (calls > 2) throw new Error('broker unreachable');
    };

    // Act
    const failure = await runProducer(
      { generator: createLogGenerator({ anomalyRate: 0, seed: 1 }), rate: 10, count: 100, maxInFlight: 1 },
      { send, clock: simulatedClock(), remainingTimeMs: () => 900_000, emitter: collectingEmitter() },
    ).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(InfrastructureError);
    expect((failure as Error).message).toMatch(/gave up after 3 failed sends in a row \(2 records delivered, 3 failed\): broker unreachable/);
  });
});
