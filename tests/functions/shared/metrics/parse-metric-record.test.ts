import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { parseMetricRecord } from '../../../../functions/shared/metrics/parse-metric-record.js';

const valid = {
  experimentId: 'exp-2024-05-01-concurrency-4',
  componentType: 'detector',
  componentId: 'log-anomaly-dev-detector:2024/05/01/[$LATEST]9f1c',
  metrics: [
    { name: 'batch.latency_ms', value: 42.5, unit: 'Milliseconds' },
    { name: 'records.processed', value: 100 },
    { name: 'consumer-lag', value: 0, unit: 'Count' },
  ],
  ts: '2024-05-01T12:00:00.000Z',
};

function rejection(input: Uint8Array | string): string {
  try {
    parseMetricRecord(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as Error).message;
  }
  throw new Error('expected a ValidationError');
}

const withRecord = (patch: Record<string, unknown>) => JSON.stringify({ ...valid, ...patch });

describe('parseMetricRecord', () => {
  it('accepts a record with several metrics, from bytes or text', () => {
    // Act
    const fromBytes = parseMetricRecord(Buffer.from(JSON.stringify(valid)));
    const fromText = parseMetricRecord(JSON.stringify({ ...valid, experimentId: null, ts: '2024-05-01T14:00:00+02:00' }));

    // Assess
    expect(fromBytes).toEqual(valid);
    expect(fromText.experimentId).toBeNull();
  });

  it.each([
    ['empty input', '', 'metric record is empty'],
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'metric record is not valid UTF-8'],
    ['text that is not JSON', 'latency=42', 'metric record is not JSON'],
    ['a JSON array', '[]', 'metric record is invalid: record must'],
    ['an unknown component type', withRecord({ componentType: 'worker' }), 'componentType must be one of producer, detector, metrics-aggregator, event-source-mapping, custom'],
    ['no metrics', withRecord({ metrics: [] }), 'metrics must hold at least one metric'],
    ['101 metrics', withRecord({ metrics: Array.from({ length: 101 }, (_, index) => ({ name: `m${index}`, value: index })) }), 'metrics must hold at most 100 metrics'],
    ['a value given as text', withRecord({ metrics: [{ name: 'm', value: '42' }] }), 'metrics.0.value must be a finite number'],
    ['a value that overflows to Infinity', withRecord({ metrics: [] }).replace('[]', '[{"name":"m","value":1e999}]'), 'metrics.0.value must be a finite number'],
    ['a metric name with SQL in it', withRecord({ metrics: [{ name: "x'; DROP TABLE metrics; --", value: 1 }] }), 'metrics.0.name must start with a letter'],
    ['a unit with a newline', withRecord({ metrics: [{ name: 'm', value: 1, unit: 'ms\nINJECTED' }] }), 'metrics.0.unit must hold only letters'],
    ['a timestamp that is not ISO', withRecord({ ts: 'yesterday' }), 'ts must be an ISO-8601 date-time'],
    ['a timestamp as epoch millis', withRecord({ ts: 1714564800000 }), 'ts must be an ISO-8601 date-time'],
    ['a componentId with markup', withRecord({ componentId: '<script>alert(1)</script>' }), 'componentId must hold only letters'],
    ['a missing componentId', JSON.stringify({ ...valid, componentId: undefined }), 'componentId must be a string'],
    ['an over-long experimentId', withRecord({ experimentId: 'e'.repeat(129) }), 'experimentId must be at most 128 characters'],
  ])('rejects %s with a reason', (_label, input, reason) => {
    // Act
    const message = rejection(input);

    // Assess
    expect(message).toContain(reason);
  });

  it('rejects unknown and prototype-polluting keys without polluting anything', () => {
    // Prepare
    const hostile = JSON.stringify(valid).replace('{', '{"__proto__":{"polluted":true},"extra\\u0000\\nkey":1,');

    // Act
    const message = rejection(hostile);

    // Assess
    expect(message).toContain('Unrecognized key');
    expect(message).not.toMatch(/[\u0000-\u001f]/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses an oversize record before decoding it', () => {
    // Prepare
    const huge = Buffer.alloc(64 * 1024 + 1, 0x20);

    // Act
    const message = rejection(huge);

    // Assess
    expect(message).toBe('metric record is 65537 bytes; at most 65536 are accepted');
  });

  it('lists several reasons at once and counts the rest', () => {
    // Prepare
    const metrics = Array.from({ length: 8 }, () => ({ name: '1bad', value: 'x' }));

    // Act
    const message = rejection(withRecord({ metrics, componentType: 'nope' }));

    // Assess
    expect(message.match(/; /g)?.length).toBe(5);
    expect(message).toMatch(/; and \d+ more$/);
  });
});
