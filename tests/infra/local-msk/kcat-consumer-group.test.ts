import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { kcat } from '../../helpers/kcat.js';

let broker: TestBroker;

beforeAll(async () => {
  broker = await startTestBroker();
});

afterAll(async () => {
  await broker?.close();
});

/** One pass of librdkafka's balanced consumer (kcat -G) until the end of every partition. */
function consumeWithGroup(group: string, topic: string): Promise<string> {
  return kcat(['-b', broker.bootstrap, '-G', group, '-X', 'auto.offset.reset=earliest', '-e', '-q', '-f', '%s\n', topic]);
}

describe('librdkafka consumer group (kcat -G) on the local MSK', () => {
  it('joins, commits, and a second run resumes from the committed offsets', async () => {
    // Prepare
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'lines'], 'one\ntwo\nthree\nfour\n');

    // Act
    const firstRun = await consumeWithGroup('kcat-group', 'lines');
    await kcat(['-b', broker.bootstrap, '-P', '-t', 'lines'], 'five\nsix\n');
    const secondRun = await consumeWithGroup('kcat-group', 'lines');
    const admin = kafkaClient(broker).admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: 'kcat-group', topics: ['lines'] });
    const ends = await admin.fetchTopicOffsets('lines');
    await admin.disconnect();

    // Assess
    expect(firstRun.trim().split('\n').sort()).toEqual(['four', 'one', 'three', 'two']);
    expect(secondRun.trim().split('\n').sort()).toEqual(['five', 'six']);
    // librdkafka commits the end of every partition it read; an empty partition never gets a commit.
    const expected = ends.map((entry) => [entry.partition, entry.high === '0' ? '-1' : entry.high]);
    expect(committed[0]!.partitions.map((entry) => [entry.partition, entry.offset]).sort()).toEqual(expected.sort());
  });
});
