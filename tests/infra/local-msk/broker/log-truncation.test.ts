import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { truncateForLog } from '../../../../infra/local-msk/logger.js';
import { LocalMskProcess } from '../../../helpers/local-msk-process.js';
import { RawKafkaClient } from '../../../helpers/raw-kafka-client.js';
import { kafkajsRoundTrip } from './handlers/group-wire.js';

/**
 * Ids from clients may be 32 KB long, and the broker's log lines used to quote them whole.
 * Every string a line quotes is now cut to its first 100 characters plus its size.
 */

const longGroupId = 'g'.repeat(30_000);
const longClientId = 'c'.repeat(32_000);

describe('log lines quoting client-supplied strings', () => {
  let broker: LocalMskProcess;

  beforeAll(async () => {
    broker = await LocalMskProcess.start(['--port', '0', '--no-control-plane', '--in-memory', '--initial-rebalance-delay-ms', '0', '--log-level', 'info']);
  });

  afterAll(async () => {
    await broker?.kill();
  });

  it('quote a 30,000-character group id and a 32,000-character client id truncated, with their size', async () => {
    // Prepare
    const client = await RawKafkaClient.connect(broker.bootstrap, { clientId: longClientId });

    // Act: a v0 join logs the rebalance it starts and completes, naming the group and the member
    const joined = await kafkajsRoundTrip(client, 'joinGroup', 0, {
      groupId: longGroupId,
      sessionTimeout: 10_000,
      memberId: '',
      protocolType: 'consumer',
      groupProtocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
    });
    await client.close();

    // Assess
    expect(joined.errorCode).toBe(0);
    const groupLines = broker.stderr().split('\n').filter((line) => line.includes(' group="g'));
    expect(groupLines.length).toBeGreaterThanOrEqual(2); // preparing rebalance, rebalance completed
    for (const line of groupLines) {
      expect(line).toContain(`group="${'g'.repeat(100)}…(30000 bytes)"`);
      expect(line.length).toBeLessThan(600);
    }
    const memberLine = groupLines.find((line) => line.includes('preparing rebalance'))!;
    expect(memberLine).toMatch(/reason="member c{90,}…\(\d+ bytes\)"/);
  });

  it('keep short strings whole and never split a surrogate pair', () => {
    // Prepare
    const emojiAtTheCut = 'x'.repeat(99) + '😀' + 'y'.repeat(50);

    // Act
    const short = truncateForLog('fuzz-group');
    const cut = truncateForLog(emojiAtTheCut);

    // Assess
    expect(short).toBe('fuzz-group');
    expect(cut).toBe(`${'x'.repeat(99)}…(153 bytes)`);
  });
});
