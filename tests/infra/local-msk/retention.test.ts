import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { kcat } from '../../helpers/kcat.js';

/** Polls `check` until it returns true (bounded by count, not asserted on time). */
async function eventually(check: () => Promise<boolean>, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition never became true');
}

describe('per-topic retention through a running broker', () => {
  let broker: TestBroker | null = null;
  let dataDir = '';

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'local-msk-retention-'));
  });

  afterEach(async () => {
    await broker?.close();
    broker = null;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('applies retention periodically on its own', async () => {
    // Prepare
    broker = await startTestBroker({ retentionCheckIntervalMs: 20 });
    const kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'forgetful', numPartitions: 1, configEntries: [{ name: 'retention.ms', value: '1' }] }] });
    const producer = kafka.producer();
    await producer.connect();

    // Act: old records in separate batches (the in-memory log drops whole batches, keeping the newest)
    for (let i = 0; i < 5; i++) await producer.send({ topic: 'forgetful', messages: [{ value: `${i}`, timestamp: String(Date.now() - 60_000) }] });
    await producer.disconnect();
    await eventually(async () => Number((await admin.fetchTopicOffsets('forgetful'))[0]!.low) === 4);
    await admin.disconnect();

    // Assess
    expect(broker.context.topics.partition('forgetful', 0)!.logStartOffset).toBe(4);
  });

  it.each([
    ['retention.bytes', { name: 'retention.bytes', value: '4096' }],
    ['retention.ms', { name: 'retention.ms', value: '1' }],
  ])('drops whole old segments by %s and moves the earliest offset forward', async (_name, config) => {
    // Prepare: small segments so that there are sealed ones to drop
    broker = await startTestBroker({ dataDir, segmentBytes: 1024, retentionCheckIntervalMs: 3_600_000 });
    const kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'short-memory', numPartitions: 1, configEntries: [config] }] });
    const producer = kafka.producer();
    await producer.connect();

    // Act: 40 sends of ~300 bytes each, old timestamps for retention.ms
    for (let i = 0; i < 40; i++) {
      await producer.send({ topic: 'short-memory', messages: [{ value: `${i}:${'x'.repeat(300)}`, timestamp: String(Date.now() - 60_000) }] });
    }
    await producer.disconnect();
    await broker.context.topics.enforceRetention();
    const [offsets] = await admin.fetchTopicOffsets('short-memory');
    await admin.disconnect();
    const remaining = (await kcat(['-b', broker.bootstrap, '-C', '-t', 'short-memory', '-o', 'beginning', '-e', '-q', '-f', '%o %s\n']))
      .trim()
      .split('\n');

    // Assess: the earliest offset moved, the newest records are still there, and reading starts at the new start
    expect(Number(offsets!.low)).toBeGreaterThan(0);
    expect(offsets!.high).toBe('40');
    expect(Number(offsets!.low)).toBeLessThan(40);
    expect(remaining[0]!.startsWith(`${offsets!.low} ${offsets!.low}:`)).toBe(true);
    expect(remaining[remaining.length - 1]!.startsWith('39 39:')).toBe(true);
  });
});
