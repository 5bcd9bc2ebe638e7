import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../../helpers/broker.js';
import { BrokerProcess, commitOffset, committedOffset } from './broker-process.js';

/**
 * At start-up a committed group offset past its partition's log end is set to the log end and
 * logged (group, topic, partition, old and new offset): otherwise the group would skip every
 * record later stored at the offsets in between. Offsets of a topic that no longer exists (a
 * deletion cut short by a crash) are deleted, so a topic recreated under the name starts clean.
 */
describe('committed offsets at start-up (real broker process)', () => {
  const broker = new BrokerProcess('file');

  afterEach(async () => {
    await broker.cleanUp();
  });

  /** Creates `topic` with one partition holding `count` records. */
  async function topicWith(topic: string, count: number): Promise<void> {
    const kafka = kafkaClient(broker);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: count }, (_, i) => ({ value: `${topic}-${i}` })) });
    await producer.disconnect();
  }

  async function committed(groupId: string, topic: string): Promise<number> {
    return committedOffset(await broker.connect(), groupId, topic);
  }

  it('clamps offsets past the log end to it after kill -9, logs each one, and leaves the others alone', async () => {
    // Prepare: three records; one group committed past them (as a consumer that read records a crash took back), one inside
    await broker.start();
    await topicWith('clamped', 3);
    const client = await broker.connect();
    expect(await commitOffset(client, 'ahead', 'clamped', 1000)).toBe(0);
    expect(await commitOffset(client, 'inside', 'clamped', 2)).toBe(0);

    // Act
    await broker.kill();
    await broker.start();
    const ahead = await committed('ahead', 'clamped');
    const inside = await committed('inside', 'clamped');
    const logLines = broker.stderr().split('\n').filter((line) => line.includes('past the log end'));

    // Assess
    expect(ahead).toBe(3);
    expect(inside).toBe(2);
    expect(logLines).toHaveLength(1);
    expect(logLines[0]).toContain('group="ahead" topic="clamped" partition=0 oldOffset=1000 newOffset=3');

    // Assess: the clamp was stored, so the next start has nothing to repair
    await broker.stop();
    await broker.start();
    expect(await committed('ahead', 'clamped')).toBe(3);
    expect(broker.stderr()).not.toContain('past the log end');
  });

  it('deletes the offsets of a topic whose deletion a crash cut short, so its recreation starts clean', async () => {
    // Prepare: a group committed on a topic; the broker dies after the topic record went, before its offsets did
    await broker.start();
    await topicWith('half-deleted', 4);
    expect(await commitOffset(await broker.connect(), 'reader', 'half-deleted', 4)).toBe(0);
    await broker.kill();
    rmSync(join(broker.dataDir!, 'topics', 'half-deleted'), { recursive: true, force: true });

    // Act
    await broker.start();
    await topicWith('half-deleted', 2);
    const offset = await committed('reader', 'half-deleted');

    // Assess
    expect(offset).toBe(-1);
    expect(broker.stderr()).toContain('deleted committed offsets of a topic that no longer exists topic="half-deleted"');
  });
});
