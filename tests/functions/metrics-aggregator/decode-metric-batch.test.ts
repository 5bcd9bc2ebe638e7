import { describe, expect, it } from 'vitest';
import { decodeMetricBatch, maxDeadLetterBytes, partitionLag } from '../../../functions/metrics-aggregator/index.js';
import { parseKafkaEvent, type KafkaRecordInput } from '../../../functions/shared/kafka/index.js';
import { mskEvent } from '../../helpers/kafka-events.js';

const topic = 'metrics';

function metricRecord(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    experimentId: 'exp-1',
    componentType: 'producer',
    componentId: 'producer-1',
    metrics: [{ name: 'records_sent', value: 10, unit: 'records' }],
    ts: '2024-05-01T12:00:00.000Z',
    ...overrides,
  });
}

function record(partition: number, offset: number, timestamp: number, value: string | Buffer | null): KafkaRecordInput {
  return { topic, partition, offset, timestamp, key: 'k', value };
}

function decode(records: KafkaRecordInput[]) {
  return decodeMetricBatch(parseKafkaEvent(mskEvent(records)).records);
}

describe('decodeMetricBatch', () => {
  it('turns each metric into a row identified by its record, with the record ts as timestamp', () => {
    // Act
    const batch = decode([record(1, 40, 1_000, metricRecord({ metrics: [{ name: 'a', value: 1 }, { name: 'b', value: -2.5, unit: 'ms' }], ts: '2024-05-01T14:00:00+02:00' }))]);

    // Assess
    expect(batch.acceptedRecords).toBe(1);
    expect(batch.metrics).toEqual([
      { experimentId: 'exp-1', componentType: 'producer', componentId: 'producer-1', metricName: 'a', metricValue: 1, unit: null, timestamp: new Date('2024-05-01T12:00:00.000Z'), source: { topic, partition: 1, offset: 40 } },
      { experimentId: 'exp-1', componentType: 'producer', componentId: 'producer-1', metricName: 'b', metricValue: -2.5, unit: 'ms', timestamp: new Date('2024-05-01T12:00:00.000Z'), source: { topic, partition: 1, offset: 40 } },
    ]);
  });

  it('picks the newest record timestamp and the experiment of the newest record naming one, whatever the partition order', () => {
    // Act
    const batch = decode([
      record(0, 1, 5_000, metricRecord({ experimentId: 'newest' })),
      record(1, 1, 9_000, metricRecord({ experimentId: null })),
      record(2, 1, 3_000, metricRecord({ experimentId: 'older' })),
      record(2, 2, 12_000, 'not json'),
    ]);

    // Assess: the poison record's timestamp counts (it is in the batch); its experiment cannot
    expect(batch.newestTimestampMs).toBe(12_000);
    expect(batch.newestExperimentId).toBe('newest');
  });

  it('gives no timestamp when every record lacks one (-1) and no experiment when no record names one', () => {
    // Act
    const batch = decode([record(0, 1, -1, metricRecord({ experimentId: null }))]);

    // Assess
    expect(batch.newestTimestampMs).toBeNull();
    expect(batch.newestExperimentId).toBeNull();
    expect(batch.metrics).toHaveLength(1);
  });

  it('dead-letters hostile values with a reason that never quotes them, keeping at most 16 KiB of bytes', () => {
    // Prepare
    const hostile = metricRecord({ componentId: "x'; DROP TABLE performance_metrics; --" });
    const huge = Buffer.from(`{"pad":"${'a'.repeat(70_000)}"}`);

    // Act
    const batch = decode([record(0, 1, 1, hostile), record(0, 2, 1, metricRecord().replace('"value":10', '"value":1e999'))]);
    const oversize = decodeMetricBatch(parseKafkaEvent(mskEvent([record(0, 3, 1, huge)])).records);

    // Assess
    expect(batch.metrics).toHaveLength(0);
    expect(batch.deadLetters.map((letter) => letter.reason)).toEqual([
      expect.stringMatching(/^metric record is invalid: componentId must hold only/),
      expect.stringMatching(/^metric record is invalid: metrics\.0\.value must be a finite number/),
    ]);
    expect(batch.deadLetters[0]!.reason).not.toContain('DROP TABLE');
    expect(batch.deadLetters[0]!.rawValue).toEqual(Buffer.from(hostile));
    // Above the event parser's 64 KiB the value is not even decoded: the wire record is kept, cut.
    expect(oversize.deadLetters[0]!.reason).toMatch(/^undecodable Kafka record: record value decodes to more than 65536 bytes.*cut to 16384 of \d+ bytes\)$/);
    expect(oversize.deadLetters[0]!.rawValue).toHaveLength(maxDeadLetterBytes);
  });

  it('skips records repeated within the batch and records whose offset is above 2^53, without throwing', () => {
    // Prepare
    const event = mskEvent([record(0, 1, 1, metricRecord()), record(0, 1, 1, metricRecord())]);
    event.records[`${topic}-0`]!.push({ ...event.records[`${topic}-0`]![0]!, offset: '9007199254740993' as never });

    // Act
    const batch = decodeMetricBatch(parseKafkaEvent(event).records);

    // Assess
    expect(batch.metrics).toHaveLength(1);
    expect(batch.skipped.map((skipped) => skipped.reason)).toEqual([
      'the record repeats an earlier record of the batch',
      'the offset is above 2^53 and cannot be stored',
    ]);
  });
});

describe('partitionLag', () => {
  const log = { partition: 0, logStartOffset: 100, logEndOffset: 250 };

  it.each([
    ['a commit inside the log', 180, { currentOffset: 180, logEndOffset: 250, lag: 70 }],
    ['a commit at the log end', 250, { currentOffset: 250, logEndOffset: 250, lag: 0 }],
    ['a commit past the log end (topic recreated)', 300, { currentOffset: 300, logEndOffset: 250, lag: 0 }],
    ['a commit below the log start (retention removed records)', 40, { currentOffset: 40, logEndOffset: 250, lag: 210 }],
    ['no commit: lag counts from the log start', -1, { currentOffset: -1, logEndOffset: 250, lag: 150 }],
  ])('%s', (_name, committed, expected) => {
    // Act / Assess
    expect(partitionLag(committed, log)).toEqual(expected);
  });
});
