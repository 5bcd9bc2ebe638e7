import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../helpers/broker.js';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from '../../helpers/cli-process.js';
import { kcat } from '../../helpers/kcat.js';

/**
 * A record acknowledged with acks=-1 must survive `kill -9` of the broker process, and a torn
 * tail write must be detected and cut at start-up. Uses the real CLI as a child process.
 */
describe('durability of the local MSK under kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-msk-durability-'));
  let running: ReadyBroker | null = null;

  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await waitForExit(running.child);
    }
    running = null;
  });

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged record after SIGKILL mid-produce, and truncates a torn tail', async () => {
    // Prepare: a broker on files, a 2-partition topic, a producer sending continuously
    running = await startLocalMskProcess(['--port', '0', '--no-control-plane', '--data-dir', dataDir]);
    const first = kafkaClient(running, { retry: { retries: 0 } });
    const admin = first.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = first.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await producer.connect();
    const acknowledged = new Set<string>();
    let sequence = 0;
    let stop = false;
    const sendLoop = async () => {
      while (!stop) {
        const values = Array.from({ length: 25 }, () => `record-${sequence++}`);
        try {
          await producer.send({ topic: 'durable', acks: -1, messages: values.map((value) => ({ key: value, value })) });
          for (const value of values) acknowledged.add(value);
        } catch {
          return; // the broker is gone
        }
      }
    };
    const loops = [sendLoop(), sendLoop(), sendLoop()];

    // Act 1: kill -9 once a good number of sends were acknowledged, while others are in flight
    while (acknowledged.size < 2000) await new Promise((resolve) => setTimeout(resolve, 5));
    running.child.kill('SIGKILL');
    await waitForExit(running.child);
    stop = true;
    await Promise.all(loops);
    await producer.disconnect().catch(() => {});

    // Act 2: tear the tail of one partition's active segment, as a crash mid-write would
    const partitionDir = readdirSync(join(dataDir, 'logs')).find((name) => name.startsWith('durable-'))!;
    const segments = readdirSync(join(dataDir, 'logs', partitionDir)).filter((name) => name.endsWith('.log')).sort();
    const activeSegment = join(dataDir, 'logs', partitionDir, segments[segments.length - 1]!);
    const sizeBeforeTear = statSync(activeSegment).size;
    appendFileSync(activeSegment, Buffer.concat([Buffer.from([0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 1, 0]), Buffer.alloc(40, 0xab)]));

    // Act 3: restart on the same data directory and read everything back with kcat
    running = await startLocalMskProcess(['--port', '0', '--no-control-plane', '--data-dir', dataDir]);
    const stored = (await kcat(['-b', running.bootstrap, '-C', '-t', 'durable', '-o', 'beginning', '-e', '-q', '-f', '%s\n'])).split('\n').filter(Boolean);

    // Assess: nothing acknowledged is missing, nothing is duplicated or garbled, the tear was cut
    const storedSet = new Set(stored);
    const missing = [...acknowledged].filter((value) => !storedSet.has(value));
    expect(acknowledged.size).toBeGreaterThanOrEqual(2000);
    expect(missing).toEqual([]);
    expect(stored.length).toBe(storedSet.size);
    expect(stored.every((value) => /^record-\d+$/.test(value))).toBe(true);
    expect(statSync(activeSegment).size).toBe(sizeBeforeTear);
    expect(running.stderr()).toMatch(/truncat/i);

    // Assess: the restarted broker keeps appending after the last intact record
    const second = kafkaClient(running);
    const after = second.producer();
    await after.connect();
    await after.send({ topic: 'durable', acks: -1, messages: [{ value: 'after-restart' }] });
    await after.disconnect();
    const all = (await kcat(['-b', running.bootstrap, '-C', '-t', 'durable', '-o', 'beginning', '-e', '-q', '-f', '%s\n'])).split('\n').filter(Boolean);
    expect(all).toContain('after-restart');
    expect(all.length).toBe(stored.length + 1);
  });
});
