import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalMskProcess } from '../../../helpers/local-msk-process.js';
import { commitOffsetsRaw } from '../../../helpers/raw-offset-commit.js';
import { kafkaClient } from '../../../helpers/broker.js';
import { probeCommittedOffsets, probeGroups } from '../../../helpers/wire-probe.js';

/**
 * A group id whose bytes are not UTF-8 once grew threefold when decoded (one U+FFFD per bad
 * byte) and written back, so a 32767-byte one was stored in the offsets log and then crashed
 * the broker at every ListGroups, after every restart. Such ids are now refused with
 * INVALID_GROUP_ID before anything is stored, and a stored entry the broker cannot answer
 * with is skipped at start-up.
 */

const INVALID_GROUP_ID = 24;
const maxLengthNotUtf8 = Buffer.alloc(32_767, 0xff);
const shortNotUtf8 = Buffer.of(0x67, 0x72, 0x70, 0xc0, 0x80); // "grp" + an overlong NUL

describe('group ids that are not UTF-8', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-msk-group-id-'));
  let broker: LocalMskProcess | undefined;

  afterEach(async () => {
    await broker?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A broker on files with topic "orders" (2 partitions, 10 records each: committed offsets must not pass the log end). */
  async function startWithOrders(): Promise<LocalMskProcess> {
    const started = await LocalMskProcess.start(['--port', '0', '--no-control-plane', '--data-dir', dataDir]);
    const kafka = kafkaClient(started);
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    const messages = Array.from({ length: 20 }, (_, index) => ({ value: `order-${index}`, partition: index % 2 }));
    await producer.send({ topic: 'orders', acks: -1, messages });
    await producer.disconnect();
    return started;
  }

  it('are refused with INVALID_GROUP_ID, never stored, and the broker serves its groups after a restart', async () => {
    // Prepare
    broker = await startWithOrders();

    // Act
    const longRefused = await commitOffsetsRaw(broker.bootstrap, maxLengthNotUtf8, 'orders', [{ partition: 0, offset: 5 }]);
    const shortRefused = await commitOffsetsRaw(broker.bootstrap, shortNotUtf8, 'orders', [{ partition: 0, offset: 6 }]);
    const accepted = await commitOffsetsRaw(broker.bootstrap, 'valid-group', 'orders', [{ partition: 0, offset: 9 }]);
    await broker.restart();
    const groups = await probeGroups(broker.bootstrap);
    const offsets = await probeCommittedOffsets(broker.bootstrap, 'valid-group', 'orders', [0]);

    // Assess
    expect(longRefused.responses[0]!.partitions).toEqual([{ partition: 0, errorCode: INVALID_GROUP_ID }]);
    expect(shortRefused.responses[0]!.partitions).toEqual([{ partition: 0, errorCode: INVALID_GROUP_ID }]);
    expect(accepted.responses[0]!.partitions).toEqual([{ partition: 0, errorCode: 0 }]);
    expect(groups).toMatchObject({ errorCode: 0, groups: [{ groupId: 'valid-group' }] });
    expect(offsets.responses[0]!.partitions[0]).toMatchObject({ partition: 0, offset: '9', errorCode: 0 });
    const storedGroups = readFileSync(join(dataDir, 'groups', 'offsets.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).groupId);
    expect(storedGroups).toEqual(['valid-group']);
  });

  it('stored by an older broker is skipped at start-up with one short warning, and the rest is served', async () => {
    // Prepare: what an older broker stored for a 20,000-byte id of 0xff bytes (one U+FFFD each, 60,000 bytes as UTF-8)
    broker = await startWithOrders();
    await commitOffsetsRaw(broker.bootstrap, 'valid-group', 'orders', [{ partition: 1, offset: 4 }]);
    await broker.stop();
    const grown = { groupId: '\ufffd'.repeat(20_000), topic: 'orders', partition: 1, offset: 2, metadata: '', commitTimestamp: 1_700_000_000_000 };
    appendFileSync(join(dataDir, 'groups', 'offsets.log'), JSON.stringify(grown) + '\n');

    // Act
    await broker.restart();
    const groups = await probeGroups(broker.bootstrap);
    const offsets = await probeCommittedOffsets(broker.bootstrap, 'valid-group', 'orders', [1]);

    // Assess
    expect(groups).toMatchObject({ errorCode: 0, groups: [{ groupId: 'valid-group' }] });
    expect(offsets.responses[0]!.partitions[0]).toMatchObject({ partition: 1, offset: '4', errorCode: 0 });
    const warnings = broker.stderr().split('\n').filter((line) => line.includes('skipped committed offsets that cannot be served'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('entries=1');
    expect(warnings[0]!.length).toBeLessThan(600);
  });
});
