import type { Producer } from 'kafkajs';
import { createLogGenerator, toKafkaMessage } from '../../../functions/producer/generator/index.js';

export interface PacedRunResult {
  sent: number;
  /** Seconds from the first send to the last acknowledgement. */
  seconds: number;
}

/** Sends per tick (ms): rate × tick / 1000 records go out as one produce request. */
const tickMs = 10;
/** Records per produce request at most (~300 B each: well under the broker's 1 MB batch limit). */
const maxBatchRecords = 1_000;
/** Produce requests that may be in flight at once. */
const maxInFlight = 8;

/**
 * Produces `rate` records/s of generated logs (the producer function's generator, 5 % anomalies)
 * for `seconds`, paced on a 10 ms tick; a tick that finds maxInFlight requests outstanding waits,
 * so the achieved rate falls below the offered one when the broker cannot keep up.
 */
export async function producePaced(producer: Producer, topic: string, producerId: string, rate: number, seconds: number): Promise<PacedRunResult> {
  const generator = createLogGenerator({ anomalyRate: 0.05, producerId, seed: 42 });
  const total = Math.round(rate * seconds);
  const started = Date.now();
  let sent = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + 1);
    while (due > sent) {
      const now = Date.now();
      const messages = [];
      // At most maxBatchRecords per request: a late tick must not build a request over the broker's limit.
      for (const end = Math.min(due, sent + maxBatchRecords); sent < end; sent++) messages.push(toKafkaMessage(generator.next(now)));
      const request = producer.send({ topic, acks: -1, messages });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request)).catch(() => undefined);
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    }
    await new Promise((resolve) => setTimeout(resolve, tickMs));
  }
  await Promise.all(inFlight);
  return { sent, seconds: (Date.now() - started) / 1000 };
}
