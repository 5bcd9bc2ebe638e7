import { KafkaJSNonRetriableError, KafkaJSProtocolError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { MemberPoller, type CommitOffset, type PolledRecord } from '../../../infra/event-source-mapping/member-poller.js';
import { kafkaPayloadSizer } from '../../../infra/event-source-mapping/payload-size.js';

const target = { eventSource: 'aws:kafka' as const, eventSourceArn: 'arn:aws:kafka:us-east-1:0:cluster/c/1', bootstrapServers: ['b-1:9092'] };

function polled(offset: number): PolledRecord {
  return { topic: 'logs', partition: 0, offset, timestamp: 1_700_000_000_000 + offset, key: null, value: `v${offset}`, headers: [], filtered: false };
}

/** A promise the test settles. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A poller whose function and commits are the test's: every call is recorded in `events`. With
 * `checkpointFirst`, each delivery first checkpoints its first record as done (a partial success).
 */
function pollerUnderTest(checkpointFirst = false) {
  const events: string[] = [];
  const commits: Array<ReturnType<typeof deferred>> = [];
  const restarts: string[] = [];
  const poller = new MemberPoller({
    batcher: { batchSize: 2, windowMs: 60_000, maxPayloadBytes: 6 * 1024 * 1024, sizer: kafkaPayloadSizer(target) },
    deliver: async (records, _isCurrent, checkpoint) => {
      events.push(`invoke ${records.map((r) => r.offset).join(',')}`);
      if (checkpointFirst) checkpoint([{ topic: 'logs', partition: 0, offset: String(records[0]!.offset + 1) }]);
      return 'invoked';
    },
    commit: (offsets: readonly CommitOffset[]) => {
      events.push(`commit ${offsets.map((o) => o.offset).join(',')}`);
      const commit = deferred();
      commits.push(commit);
      return commit.promise;
    },
    restart: (reason) => void restarts.push(reason),
    heartbeat: async () => undefined,
    logger: { info: () => undefined, error: () => undefined },
    functionName: 'detector',
    maxQueuedBatches: 4,
  });
  return { poller, events, commits, restarts };
}

describe('MemberPoller commits', () => {
  it('invokes the next batch while the previous commit is in flight, and sends the next commit only after it', async () => {
    // Prepare
    const { poller, events, commits } = pollerUnderTest();

    // Act: two full batches
    for (const offset of [0, 1, 2, 3]) expect(poller.tryAccept(polled(offset))).toBe(true);
    await settle();

    // Assess: batch 2 was invoked before commit 1 answered; commit 2 waits for it
    expect(events).toEqual(['invoke 0,1', 'commit 2', 'invoke 2,3']);
    commits[0]!.resolve();
    await settle();
    expect(events).toEqual(['invoke 0,1', 'commit 2', 'invoke 2,3', 'commit 4']);
    commits[1]!.resolve();
    await poller.close();
  });

  it('restarts from the committed offsets when a commit fails, never committing the batch invoked meanwhile', async () => {
    // Prepare
    const { poller, events, commits, restarts } = pollerUnderTest();
    for (const offset of [0, 1, 2, 3]) poller.tryAccept(polled(offset));
    await settle();

    // Act
    commits[0]!.reject(new Error('rebalance in progress'));
    await settle();

    // Assess
    expect(restarts).toEqual(['commit failed; uncommitted records will be redelivered']);
    expect(events).toEqual(['invoke 0,1', 'commit 2', 'invoke 2,3']);
    expect(commits).toHaveLength(1);
    await poller.close();
  });

  it('sends checkpoints inside a batch after the commits before them, one at a time', async () => {
    // Prepare
    const { poller, events, commits } = pollerUnderTest(true);

    // Act: two batches, each checkpointing its first record before its own commit
    for (const offset of [0, 1, 2, 3]) poller.tryAccept(polled(offset));
    await settle();
    const whileCheckpointPending = [...events];
    for (let answered = 0; answered < 3; answered++) {
      commits[answered]!.resolve();
      await settle();
    }

    // Assess: a batch's own commit waits for its checkpoint; batch 2's checkpoint waits for batch 1's commit
    expect(whileCheckpointPending).toEqual(['invoke 0,1', 'commit 1']);
    expect(events).toEqual(['invoke 0,1', 'commit 1', 'commit 2', 'invoke 2,3', 'commit 3', 'commit 4']);
    commits[3]!.resolve();
    await poller.close();
  });

  it('drops a commit the group refuses because of a rebalance, without a restart, and goes on with later batches', async () => {
    // Prepare: kafkajs's own error for a commit from a stale generation (wrapped as its retrier wraps it)
    const { poller, events, commits, restarts } = pollerUnderTest();
    for (const offset of [0, 1, 2, 3]) poller.tryAccept(polled(offset));
    await settle();
    const refusal = new KafkaJSProtocolError(Object.assign(new Error('The generation id provided is not the current one'), { type: 'ILLEGAL_GENERATION', code: 22, retriable: false }));

    // Act: the refusal drops batch 2 (invoked meanwhile, never committed); batch 3 arrives after the rejoin
    commits[0]!.reject(Object.assign(new KafkaJSNonRetriableError(refusal), { cause: refusal }));
    await settle();
    for (const offset of [4, 5]) poller.tryAccept(polled(offset));
    await settle();

    // Assess
    expect(restarts).toEqual([]);
    expect(events).toEqual(['invoke 0,1', 'commit 2', 'invoke 2,3', 'invoke 4,5', 'commit 6']);
    commits[1]!.resolve();
    await poller.close();
  });

  it('waits for the last commit before close resolves', async () => {
    // Prepare
    const { poller, commits } = pollerUnderTest();
    poller.tryAccept(polled(0));
    poller.tryAccept(polled(1));
    await settle();
    let closed = false;

    // Act
    const closing = poller.close().then(() => (closed = true));
    await settle();
    const closedBeforeCommit = closed;
    commits[0]!.resolve();
    await closing;

    // Assess
    expect(closedBeforeCommit).toBe(false);
    expect(closed).toBe(true);
  });
});
