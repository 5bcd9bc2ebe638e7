import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../../functions/shared/errors.js';
import { headerText } from '../../../../../functions/shared/kafka/event/decode-headers.js';
import type { DecodedKafkaRecord, KafkaEventRecord, MalformedKafkaRecord } from '../../../../../functions/shared/kafka/event/kafka-event-types.js';
import { parseKafkaEvent } from '../../../../../functions/shared/kafka/event/parse-kafka-event.js';
import { jsonRecords, loadEventFixture, mskEvent, sampleClusterArn, sampleLogRecord, sampleMskBrokers } from '../../../../helpers/kafka-events.js';

/** A built event opened up for hand edits that break its records. */
type HandEditableEvent = { records: Record<string, Array<Record<string, unknown>>> };

const coordinates = (records: readonly KafkaEventRecord[]) => records.map((record) => `${record.topic}-${record.partition}@${record.offset}`);
const decoded = (records: readonly KafkaEventRecord[]) => records.filter((record): record is DecodedKafkaRecord => record.ok);
const malformed = (records: readonly KafkaEventRecord[]) => records.filter((record): record is MalformedKafkaRecord => !record.ok);

describe('parseKafkaEvent on the fixtures', () => {
  it('decodes the aws:kafka fixture: every record, sorted by partition then offset', () => {
    // Act
    const event = parseKafkaEvent(loadEventFixture('msk-event'));

    // Assess
    expect(event.eventSource).toBe('aws:kafka');
    expect(event.eventSourceArn).toBe(sampleClusterArn);
    expect(event.bootstrapServers).toEqual(sampleMskBrokers);
    expect(coordinates(event.records)).toEqual(['logs-0@41', 'logs-0@42', 'logs-0@43', 'logs-1@17', 'logs-1@18', 'logs-2@8', 'logs-2@9']);
    expect(event.records.every((record) => record.ok)).toBe(true);
    const first = decoded(event.records)[0]!;
    expect(JSON.parse(first.value!.toString('utf8'))).toEqual(sampleLogRecord(0));
    expect(first.key?.toString('utf8')).toBe(sampleLogRecord(0).service);
    expect(first).toMatchObject({ timestamp: 1714564800000, timestampType: 'CREATE_TIME' });
    expect(headerText(first.headers, 'x-anomaly-label')).toBe('none');
    const labelled = decoded(event.records).at(-1)!;
    expect(headerText(labelled.headers, 'x-anomaly-label')).toBe('error_spike');
    expect(headerText(labelled.headers, 'content-type')).toBe('application/json');
    expect(JSON.parse(labelled.value!.toString('utf8'))).toMatchObject({ level: 'ERROR', service: expect.any(String) });
  });

  it('decodes the SelfManagedKafka fixture: a topic with dashes, string partition and offset, a missing key', () => {
    // Act
    const event = parseKafkaEvent(loadEventFixture('self-managed-kafka-event'));

    // Assess
    expect(event.eventSource).toBe('SelfManagedKafka');
    expect(event.eventSourceArn).toBeNull();
    expect(event.bootstrapServers).toEqual(['kafka-1.internal.example:9092', 'kafka-2.internal.example:9092']);
    expect(coordinates(event.records)).toEqual(['app-logs-v2-0@3', 'app-logs-v2-11@9007', 'app-logs-v2-11@9008']);
    const last = decoded(event.records)[2]!;
    expect(last).toMatchObject({ topic: 'app-logs-v2', partition: 11, offset: '9008', timestampType: 'LOG_APPEND_TIME', key: null });
    expect(JSON.parse(last.value!.toString('utf8')).id).toBe(sampleLogRecord(11).id);
  });

  it('reports each poison record on its own and keeps the good ones', () => {
    // Act
    const event = parseKafkaEvent(loadEventFixture('msk-event-poison'));

    // Assess
    const bad = malformed(event.records);
    expect(decoded(event.records).map((record) => `${record.partition}@${record.offset}`)).toEqual(['0@100', '0@102', '0@103', '0@105', '0@108', '1@56']);
    expect(bad.map((record) => [record.topic, record.partition, record.offset, record.reason])).toEqual([
      ['logs', 0, '101', 'record value is not valid base64'],
      ['logs', 0, '104', 'record value decodes to more than 65536 bytes'],
      ['logs', 0, '106', 'record header entry 0: value holds a number outside 0–255'],
      ['logs', 0, '107', 'record key is not valid base64'],
      ['logs', 1, '55', 'record has no topic'],
      ['logs', 1, undefined, 'record is not an object'],
    ]);
    expect(bad.every((record) => record.raw !== undefined)).toBe(true);
  });

  it('hands non-JSON, null and hostile values through as bytes: judging them is the log parser’s job', () => {
    // Act
    const records = decoded(parseKafkaEvent(loadEventFixture('msk-event-poison')).records);

    // Assess
    const byOffset = new Map(records.map((record) => [record.offset, record]));
    expect(byOffset.get('102')!.value!.toString('utf8')).toMatch(/^GET \/index.html/);
    expect(byOffset.get('103')!.value).toBeNull();
    const hostile = byOffset.get('105')!.value!.toString('utf8');
    expect(hostile).toContain('DROP TABLE logs');
    expect(hostile).toContain('"__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseKafkaEvent on built and hand-made events', () => {
  it('splits map keys at the last dash, so topics with dashes and digits work', () => {
    // Prepare
    const event = mskEvent([...jsonRecords('logs-2024-05', 3, 10, [sampleLogRecord(1)]), ...jsonRecords('logs-2024-05', 12, 0, [sampleLogRecord(2)])]);

    // Act
    const parsed = parseKafkaEvent(event);

    // Assess
    expect(coordinates(parsed.records)).toEqual(['logs-2024-05-3@10', 'logs-2024-05-12@0']);
    expect(parsed.records.every((record) => record.ok)).toBe(true);
  });

  it('recovers topic and partition from the map key for a record that lost them', () => {
    // Prepare
    const event = mskEvent(jsonRecords('payments-eu-1', 7, 40, [sampleLogRecord(1)])) as unknown as HandEditableEvent;
    delete event.records['payments-eu-1-7']![0]!.partition;

    // Act
    const [record] = parseKafkaEvent(event).records;

    // Assess
    expect(record).toMatchObject({ ok: false, reason: 'record has no partition', topic: 'payments-eu-1', partition: 7, offset: '40' });
  });

  it('refuses a record whose coordinates disagree with its map key', () => {
    // Prepare
    const event = mskEvent(jsonRecords('logs', 0, 5, [sampleLogRecord(1)])) as unknown as HandEditableEvent;
    event.records['logs-0']![0]!.partition = 4;

    // Act
    const [record] = parseKafkaEvent(event).records;

    // Assess
    expect(record).toMatchObject({ ok: false, reason: 'record says logs-4 but is listed under logs-0', topic: 'logs', partition: 4 });
  });

  it('keeps offsets beyond 2^53 exact when they arrive as strings and orders them numerically', () => {
    // Prepare
    const event = mskEvent(jsonRecords('logs', 0, 0, [sampleLogRecord(1), sampleLogRecord(2), sampleLogRecord(3)])) as unknown as HandEditableEvent;
    const [a, b, c] = event.records['logs-0']!;
    a!.offset = '9007199254740993';
    b!.offset = '100';
    c!.offset = 99;

    // Act
    const parsed = parseKafkaEvent(event);

    // Assess
    expect(parsed.records.map((record) => record.offset)).toEqual(['99', '100', '9007199254740993']);
  });

  it.each([
    ['a timestamp that is text', { timestamp: 'yesterday' }, 'record timestamp is not milliseconds since the epoch'],
    ['an unknown timestampType', { timestampType: 'EVENT_TIME' }, 'record timestampType is not CREATE_TIME, LOG_APPEND_TIME or NO_TIMESTAMP_TYPE'],
    ['a negative offset', { offset: -1 }, 'record offset is not a whole number from 0 to 2^63-1'],
    ['an offset beyond int64', { offset: '9223372036854775808' }, 'record offset is not a whole number from 0 to 2^63-1'],
    ['a value that is not a string', { value: { nested: true } }, 'record value is not a base64 string'],
    ['base64 without padding', { value: 'eyJhIjoxfQ' }, 'record value is not valid base64'],
    ['headers that are not an array', { headers: { 'x-anomaly-label': [1] } }, 'record headers are not an array'],
    ['a header value that is text', { headers: [{ 'x-anomaly-label': 'none' }] }, 'record header entry 0: value is not an array of bytes'],
    ['a fractional header byte', { headers: [{ k: [1.5] }] }, 'record header entry 0: value holds a number outside 0–255'],
    ['a negative header byte', { headers: [{ k: [-1] }] }, 'record header entry 0: value holds a number outside 0–255'],
    ['too many headers', { headers: Array.from({ length: 65 }, (_, index) => ({ [`h${index}`]: [1] })) }, 'record more than 64 headers'],
    ['an empty header key', { headers: [{ '': [1] }] }, 'record header entry 0 has a key of 0 characters (allowed 1–256)'],
  ])('marks %s as malformed without failing the batch', (_label, patch, reason) => {
    // Prepare
    const event = mskEvent(jsonRecords('logs', 0, 1, [sampleLogRecord(1), sampleLogRecord(2)])) as unknown as HandEditableEvent;
    Object.assign(event.records['logs-0']![0]!, patch);

    // Act
    const records = parseKafkaEvent(event).records;

    // Assess
    expect(malformed(records)).toEqual([expect.objectContaining({ ok: false, reason, topic: 'logs', partition: 0 })]);
    expect(decoded(records).map((record) => record.offset)).toEqual(['2']);
  });

  it('accepts null keys, null header values and empty values', () => {
    // Prepare
    const event = mskEvent([{ topic: 'logs', partition: 0, offset: 3, timestamp: -1, timestampType: 'NO_TIMESTAMP_TYPE', key: null, value: '', headers: [{ key: 'trace', value: null }] }]);
    (event.records['logs-0']![0] as unknown as Record<string, unknown>).key = null;

    // Act
    const [record] = parseKafkaEvent(event).records;

    // Assess
    expect(record).toMatchObject({ ok: true, key: null, timestamp: -1, headers: [{ key: 'trace', value: null }] });
    expect((record as DecodedKafkaRecord).value).toEqual(Buffer.alloc(0));
  });

  it('honours a caller-given value limit', () => {
    // Prepare
    const event = mskEvent(jsonRecords('logs', 0, 0, [sampleLogRecord(1)]));

    // Act
    const [record] = parseKafkaEvent(event, { maxValueBytes: 16 }).records;

    // Assess
    expect(record).toMatchObject({ ok: false, reason: 'record value decodes to more than 16 bytes' });
  });

  it('reports a map entry that is not an array as one malformed record', () => {
    // Act
    const parsed = parseKafkaEvent({ eventSource: 'SelfManagedKafka', records: { 'logs-3': { not: 'an array' }, 'logs-0': [] } });

    // Assess
    expect(parsed.records).toEqual([{ ok: false, reason: 'the records listed under one key are not an array', raw: { not: 'an array' }, topic: 'logs', partition: 3 }]);
  });
});

describe('parseKafkaEvent on structurally invalid events', () => {
  it.each([
    ['null', null, 'Kafka event is not an object'],
    ['a string', '{"eventSource":"aws:kafka"}', 'Kafka event is not an object'],
    ['an array', [], 'Kafka event is not an object'],
    ['an SQS event', { Records: [{ eventSource: 'aws:sqs' }] }, 'Kafka event has no eventSource "aws:kafka" or "SelfManagedKafka"'],
    ['aws:kafka without an ARN', { eventSource: 'aws:kafka', records: {} }, 'aws:kafka event has no eventSourceArn'],
    ['no records map', { eventSource: 'SelfManagedKafka' }, 'Kafka event has no records map'],
    ['records as an array', { eventSource: 'SelfManagedKafka', records: [] }, 'Kafka event has no records map'],
    ['bootstrapServers as a number', { eventSource: 'SelfManagedKafka', bootstrapServers: 9092, records: {} }, 'Kafka event bootstrapServers is not a comma-separated host:port list'],
  ])('throws ValidationError for %s', (_label, event, message) => {
    // Act / Assess
    expect(() => parseKafkaEvent(event)).toThrow(ValidationError);
    expect(() => parseKafkaEvent(event)).toThrow(message);
  });

  it('refuses a batch larger than the limit as a whole', () => {
    // Prepare
    const event = { eventSource: 'aws:kafka', eventSourceArn: sampleClusterArn, records: { 'logs-0': Array.from({ length: 11 }, () => ({})) } };

    // Act / Assess
    expect(() => parseKafkaEvent(event, { maxRecords: 10 })).toThrow('Kafka event holds 11 records; at most 10 are accepted');
  });

  it('parses an empty records map to no records', () => {
    // Act
    const parsed = parseKafkaEvent({ eventSource: 'aws:kafka', eventSourceArn: sampleClusterArn, bootstrapServers: null, records: {} });

    // Assess
    expect(parsed).toEqual({ eventSource: 'aws:kafka', eventSourceArn: sampleClusterArn, bootstrapServers: [], records: [] });
  });
});
