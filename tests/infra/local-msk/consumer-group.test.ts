import type { Consumer, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';

/**
 * A kafkajs consumer group against the local MSK, end to end:
 *  1. three members share a 6-partition topic;
 *  2. one stalls mid-way through its share and leaves (clean disconnect); the other two take
 *     over its partitions from its committed offsets;
 *  3. everyone stops, more records arrive, and a fresh member resumes from the committed offsets.
 *
 * Accounting: every member records (partition, offset) of each record it processed and
 * commits after each batch (eachBatch + resolveOffset + commitOffsetsIfNecessary). All
 * departures here are clean — kafkajs finishes the batch in hand, commits, then sends
 * LeaveGroup — so at-least-once delivery collapses to exactly-once: each offset of each
 * partition must be processed exactly once overall, and the committed offsets must end at
 * the log end. (A member that died without committing would legitimately cause
 * redelivery; that case is not exercised here.)
 */

const topic = 'orders';
const partitions = 6;
const groupId = 'order-processors';
const timings = { sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 6000 };

interface Processed {
  member: string;
  partition: number;
  offset: number;
  value: string;
}

let broker: TestBroker;
let kafka: Kafka;
const processed: Processed[] = [];
const running = new Map<string, Consumer>();
/** Latest assignment each member received (GROUP_JOIN), partitions of `topic`. */
const assignments = new Map<string, number[]>();

beforeAll(async () => {
  broker = await startTestBroker({ initialRebalanceDelayMs: 1000 }); // the three members land in one generation
  kafka = kafkaClient(broker, { retry: { retries: 8, initialRetryTime: 100 } });
});

afterAll(async () => {
  for (const consumer of running.values()) await consumer.disconnect();
  await broker?.close();
});

/** Polls until `condition` holds; throws with `what` after `limitMs` (a hang guard, not an assertion on timing). */
async function waitFor(what: string, condition: () => boolean | Promise<boolean>, limitMs = 45_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function produce(first: number, count: number): Promise<string[]> {
  const producer = kafka.producer();
  await producer.connect();
  const values: string[] = [];
  // Many small sends, so each partition holds many small batches and consumption takes many fetches.
  for (let start = first; start < first + count; start += 12) {
    const messages = [];
    for (let index = start; index < Math.min(start + 12, first + count); index++) {
      values.push(`record-${index}`);
      messages.push({ key: `key-${index}`, value: `record-${index}`, partition: index % partitions });
    }
    await producer.send({ topic, messages });
  }
  await producer.disconnect();
  return values;
}

/** Makes a member stop processing (inside eachBatch) after `after` records until `release` is called. */
interface Pause {
  after: number;
  gate: Promise<void>;
  release: () => void;
}

function pauseAfter(after: number): Pause {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  return { after, gate, release };
}

async function startMember(name: string, pause?: Pause): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, ...timings, maxWaitTimeInMs: 100, maxBytesPerPartition: 512 });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    assignments.set(name, event.payload.memberAssignment[topic] ?? []);
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommitThreshold: 1,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
      for (const message of batch.messages) {
        if (pause && processedBy(name) >= pause.after) await pause.gate;
        if (!isRunning() || isStale()) break;
        processed.push({ member: name, partition: batch.partition, offset: Number(message.offset), value: message.value!.toString() });
        resolveOffset(message.offset);
      }
      await commitOffsetsIfNecessary();
      if (isRunning()) await heartbeat();
    },
  });
  running.set(name, consumer);
  return consumer;
}

/** Clean disconnect: kafkajs stops fetching, lets the batch in hand finish (releasing a paused member), commits, leaves. */
async function stopMember(name: string, pause?: Pause): Promise<void> {
  const leaving = running.get(name)!.disconnect();
  pause?.release();
  await leaving;
  running.delete(name);
}

function processedBy(member: string): number {
  return processed.filter((entry) => entry.member === member).length;
}

function valuesOf(members: string[]): Set<string> {
  return new Set(processed.filter((entry) => members.includes(entry.member)).map((entry) => entry.value));
}

async function describeGroup() {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.describeGroups([groupId])).groups[0]!;
  } finally {
    await admin.disconnect();
  }
}

describe('kafkajs consumer group on the local MSK', () => {
  it('shares partitions among three members, survives one leaving, and resumes from committed offsets', async () => {
    // Prepare
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions }] });
    const phase1 = await produce(0, 240);

    // Act 1: three members consume together; c stalls after 10 records, holding the rest of its share
    const pauseOfC = pauseAfter(10);
    await Promise.all([startMember('a'), startMember('b'), startMember('c', pauseOfC)]);
    await waitFor('a stable generation of three members', async () => {
      const group = await describeGroup();
      return group.state === 'Stable' && group.members.length === 3;
    });
    await waitFor('c stalled after 10 records', () => processedBy('c') === 10);
    const partitionsOfC = [...(assignments.get('c') ?? [])];

    // Act 2: c leaves mid-way; the rest carries on while more records arrive
    await stopMember('c', pauseOfC);
    const phase2 = await produce(240, 240);
    await waitFor('every phase-1 and phase-2 record processed', () => valuesOf(['a', 'b', 'c']).size === phase1.length + phase2.length);
    await waitFor('a stable generation of two members', async () => {
      const group = await describeGroup();
      return group.state === 'Stable' && group.members.length === 2;
    });
    const afterTakeover = { a: [...(assignments.get('a') ?? [])], b: [...(assignments.get('b') ?? [])] };

    // Act 3: everyone stops; new records arrive; a fresh member resumes from the committed offsets
    await Promise.all([stopMember('a'), stopMember('b')]);
    const stateWhenIdle = (await describeGroup()).state;
    const committedWhenIdle = await admin.fetchOffsets({ groupId, topics: [topic] });
    const phase3 = await produce(480, 60);
    await startMember('d');
    await waitFor('the fresh member processing every phase-3 record', () => phase3.every((value) => valuesOf(['d']).has(value)));
    await stopMember('d');
    const committedAtEnd = await admin.fetchOffsets({ groupId, topics: [topic] });
    const logEnds = await admin.fetchTopicOffsets(topic);
    await admin.disconnect();

    // Assess: the group shared the work, and c's partitions — with most of c's share unprocessed — moved to a and b
    expect(partitionsOfC.length).toBeGreaterThan(0);
    expect(processedBy('c')).toBe(10);
    const phase1OfC = processed.filter((entry) => partitionsOfC.includes(entry.partition) && phase1.includes(entry.value));
    expect(phase1OfC).toHaveLength((phase1.length / partitions) * partitionsOfC.length);
    expect(phase1OfC.filter((entry) => entry.member !== 'c').length).toBeGreaterThanOrEqual(phase1OfC.length - 10);
    expect([...afterTakeover.a, ...afterTakeover.b].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const phase2Processors = processed.filter((entry) => phase2.includes(entry.value));
    expect(phase2Processors.every((entry) => entry.member === 'a' || entry.member === 'b')).toBe(true);
    for (const partition of partitionsOfC) {
      expect(phase2Processors.some((entry) => entry.partition === partition)).toBe(true);
    }

    // Assess: when everyone had left, the group was Empty with commits at the end of phases 1+2
    expect(stateWhenIdle).toBe('Empty');
    expect(committedWhenIdle[0]!.partitions.map((entry) => Number(entry.offset)).reduce((sum, offset) => sum + offset, 0)).toBe(480);

    // Assess: the fresh member processed only what arrived after the commits
    expect([...valuesOf(['d'])].sort()).toEqual([...phase3].sort());

    // Assess: every record processed exactly once, and commits end at the log end
    const produced = [...phase1, ...phase2, ...phase3];
    const timesProcessed = new Map<string, number>();
    for (const entry of processed) timesProcessed.set(entry.value, (timesProcessed.get(entry.value) ?? 0) + 1);
    expect(produced.filter((value) => timesProcessed.get(value) !== 1)).toEqual([]);
    expect(processed).toHaveLength(produced.length);
    for (let partition = 0; partition < partitions; partition++) {
      const offsets = processed.filter((entry) => entry.partition === partition).map((entry) => entry.offset).sort((x, y) => x - y);
      const end = Number(logEnds.find((entry) => entry.partition === partition)!.high);
      expect(offsets).toEqual(Array.from({ length: end }, (_, offset) => offset));
      expect(committedAtEnd[0]!.partitions.find((entry) => entry.partition === partition)!.offset).toBe(String(end));
    }
  });
});
