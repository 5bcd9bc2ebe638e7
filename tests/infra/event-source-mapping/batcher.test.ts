import { describe, expect, it } from 'vitest';
import { buildKafkaEvent, type KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { Batcher } from '../../../infra/event-source-mapping/batcher.js';
import { encodedRecordBytes, kafkaPayloadSizer, serializedBytes } from '../../../infra/event-source-mapping/payload-size.js';
import { splitByAge } from '../../../infra/event-source-mapping/record-age.js';
import { backoffMs, invokeRetryDelayMs, mayRetry } from '../../../infra/event-source-mapping/retry-policy.js';

const target = { eventSource: 'aws:kafka' as const, eventSourceArn: 'arn:aws:kafka:us-east-1:0:cluster/c/1', bootstrapServers: ['b-1:9092', 'b-2:9092'] };
const sizer = kafkaPayloadSizer(target);

function record(partition: number, offset: number, value = `value-${offset}`): KafkaRecordInput {
  return { topic: 'app-logs', partition, offset, timestamp: 1_700_000_000_000 + offset, key: `k${offset}`, value, headers: [{ key: 'h', value: 'v' }] };
}

function fakeClock() {
  let nowMs = 0;
  return { now: () => nowMs, advance: (ms: number) => (nowMs += ms) };
}

describe('Batcher', () => {
  it('releases a batch when it holds batchSize records, keeping order', () => {
    // Prepare
    const batcher = new Batcher({ batchSize: 3, windowMs: 1000, maxPayloadBytes: 6 * 1024 * 1024, sizer, now: fakeClock().now });
    // Act
    const released = [0, 1, 2, 3, 4].map((offset) => batcher.add(record(0, offset)));
    // Assess
    expect(released.map((batches) => batches.length)).toEqual([0, 0, 1, 0, 0]);
    expect(released[2]![0]!.map((r) => r.offset)).toEqual([0, 1, 2]);
    expect(batcher.size).toBe(2);
  });

  it('releases a partial batch once its window expires, measured from its first record', () => {
    // Prepare
    const clock = fakeClock();
    const batcher = new Batcher({ batchSize: 100, windowMs: 500, maxPayloadBytes: 6 * 1024 * 1024, sizer, now: clock.now });
    batcher.add(record(0, 0));
    clock.advance(300);
    batcher.add(record(1, 1));
    // Act
    const early = batcher.takeDue();
    const waitLeft = batcher.msUntilDue();
    clock.advance(200);
    const due = batcher.takeDue();
    // Assess
    expect(early).toBeNull();
    expect(waitLeft).toBe(200);
    expect(due?.map((r) => r.offset)).toEqual([0, 1]);
    expect(batcher.msUntilDue()).toBeNull();
  });

  it('releases the pending batch before a record that would push the payload over the limit', () => {
    // Prepare
    const big = 'x'.repeat(1000);
    const limit = serializedBytes(buildKafkaEvent(target, [record(0, 0, big), record(0, 1, big)])) + 10;
    const batcher = new Batcher({ batchSize: 100, windowMs: 1000, maxPayloadBytes: limit, sizer, now: fakeClock().now });
    // Act
    const released = [0, 1, 2].flatMap((offset) => batcher.add(record(0, offset, big)));
    // Assess
    expect(released.map((batch) => batch.map((r) => r.offset))).toEqual([[0, 1]]);
    expect(serializedBytes(buildKafkaEvent(target, released[0]!))).toBeLessThanOrEqual(limit);
    expect(batcher.flush().map((r) => r.offset)).toEqual([2]);
  });

  it('sends a record that alone exceeds the limit by itself, never dropping it', () => {
    // Prepare
    const batcher = new Batcher({ batchSize: 100, windowMs: 1000, maxPayloadBytes: 2000, sizer, now: fakeClock().now });
    batcher.add(record(0, 0));
    // Act
    const released = batcher.add(record(0, 1, 'y'.repeat(5000)));
    // Assess
    expect(released.map((batch) => batch.map((r) => r.offset))).toEqual([[0], [1]]);
    expect(batcher.size).toBe(0);
  });

  it('estimates the payload size from above, by at most a byte per partition plus one', () => {
    // Prepare
    const records = [record(0, 0), record(0, 1), record(3, 7, 'ünïcode'), record(12, 9)];
    // Act
    const estimate = sizer.baseBytes + ['app-logs-0', 'app-logs-3', 'app-logs-12'].reduce((sum, slot) => sum + sizer.slotBytes(slot), 0) + records.reduce((sum, r) => sum + sizer.recordBytes(r), 0);
    const exact = serializedBytes(buildKafkaEvent(target, records));
    // Assess
    expect(estimate).toBeGreaterThanOrEqual(exact);
    expect(estimate - exact).toBeLessThanOrEqual(3 + 1);
  });
});

describe('retry policy', () => {
  const policy = { maximumRetryAttempts: 2, baseDelayMs: 100, maxDelayMs: 350 };

  it('retries up to maximumRetryAttempts, forever at -1', () => {
    // Assess
    expect(mayRetry(policy, 1)).toBe(true);
    expect(mayRetry(policy, 2)).toBe(false);
    expect(mayRetry({ ...policy, maximumRetryAttempts: 0 }, 0)).toBe(false);
    expect(mayRetry({ ...policy, maximumRetryAttempts: -1 }, 1e6)).toBe(true);
  });

  it('doubles the delay per retry up to the cap', () => {
    // Assess
    expect([1, 2, 3, 4].map((retry) => backoffMs(policy, retry))).toEqual([100, 200, 350, 350]);
  });

  it('jitters Invoke API retries between half and all of the capped backoff', () => {
    // Assess
    expect([1, 2, 3, 4].map((failure) => invokeRetryDelayMs(policy, failure, () => 0))).toEqual([50, 100, 175, 175]);
    expect([1, 2, 3, 4].map((failure) => invokeRetryDelayMs(policy, failure, () => 0.999_999))).toEqual([100, 200, 350, 350]);
  });
});

describe('record age', () => {
  it('sets aside records older than the maximum age, keeping order; records without a timestamp never expire', () => {
    // Prepare
    const nowMs = 1_700_000_100_000;
    const records = [{ timestamp: nowMs - 61_000 }, { timestamp: nowMs - 60_000 }, { timestamp: -1 }, { timestamp: nowMs - 3_600_000 }];
    // Act
    const limited = splitByAge(records, 60, nowMs);
    const infinite = splitByAge(records, -1, nowMs);
    // Assess
    expect(limited.expired).toEqual([records[0], records[3]]);
    expect(limited.fresh).toEqual([records[1], records[2]]);
    expect(infinite).toEqual({ expired: [], fresh: records });
  });
});

describe('encodedRecordBytes', () => {
  it('equals the length of the encoded record for keys, values, headers and timestamps of every shape', () => {
    // Prepare: records that exercise null/absent keys and values, strings and buffers, empty and
    // binary headers, unicode, large offsets and every timestamp type
    const samples: KafkaRecordInput[] = [];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => next() % 256));
      samples.push({
        topic: ['logs', 'app.logs-v2', 'ünï'][i % 3]!,
        partition: next() % 1000,
        offset: i % 7 === 0 ? 2 ** 53 - 1 : next(),
        timestamp: i % 11 === 0 ? -1 : 1_700_000_000_000 + next(),
        ...(i % 4 === 0 ? {} : { timestampType: (['CREATE_TIME', 'LOG_APPEND_TIME', 'NO_TIMESTAMP_TYPE'] as const)[i % 3] }),
        ...(i % 5 === 0 ? {} : { key: i % 2 === 0 ? bytes(next() % 40) : i % 3 === 0 ? null : `k-${i}-é` }),
        value: i % 9 === 0 ? null : i % 2 === 0 ? bytes(next() % 600) : `{"message":"line ${i} ✓"}`,
        ...(i % 6 === 0 ? {} : { headers: Array.from({ length: next() % 4 }, (_, h) => ({ key: h === 0 ? 'x-anomaly-label' : `h${h}-ü`, value: h === 2 ? null : h === 1 ? bytes(next() % 20) : 'none' })) }),
      });
    }
    // Act, Assess
    for (const sample of samples) {
      const encoded = Object.values(buildKafkaEvent(target, [sample]).records)[0]![0];
      expect(encodedRecordBytes(sample)).toBe(serializedBytes(encoded));
    }
  });
});
