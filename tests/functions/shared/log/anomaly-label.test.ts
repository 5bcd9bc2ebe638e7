import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { ANOMALY_KINDS, ANOMALY_LABELS, LABEL_HEADER, isAnomaly, parseLabel } from '../../../../functions/shared/log/index.js';
import { knownLabelOf } from '../../../../functions/shared/log/anomaly-label.js';

describe('anomaly labels', () => {
  it('travel in the x-anomaly-label header and cover five kinds, anomaly (kind unknown) and none', () => {
    // Assess
    expect(LABEL_HEADER).toBe('x-anomaly-label');
    expect(ANOMALY_KINDS).toEqual(['error_spike', 'unexpected_service', 'message_deviation', 'temporal', 'keyword']);
    expect(ANOMALY_LABELS).toEqual([...ANOMALY_KINDS, 'anomaly', 'none']);
  });

  it.each(ANOMALY_LABELS)('parses %s from a Buffer and from a string', (label) => {
    // Act
    const fromBuffer = parseLabel(Buffer.from(label));
    const fromString = parseLabel(label);

    // Assess
    expect(fromBuffer).toBe(label);
    expect(fromString).toBe(label);
    expect(isAnomaly(fromBuffer!)).toBe(label !== 'none');
  });

  it('returns undefined when the header is absent', () => {
    // Act + Assess
    expect(parseLabel(undefined)).toBeUndefined();
    expect(parseLabel(null)).toBeUndefined();
  });

  it('accepts a repeated header with one value', () => {
    // Act
    const label = parseLabel([Buffer.from('temporal'), 'temporal']);

    // Assess
    expect(label).toBe('temporal');
  });

  it.each([
    ['an empty value', Buffer.alloc(0), /is empty/],
    ['an unknown value', Buffer.from('spike'), /unknown value "spike"; expected one of error_spike/],
    ['the wrong case', 'NONE', /unknown value "NONE"/],
    ['trailing whitespace', 'keyword ', /unknown value "keyword "/],
    ['an oversize value', 'x'.repeat(65), /oversize/],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe]), /unknown value/],
    ['conflicting repeats', ['temporal', 'keyword'], /repeats with different values/],
  ])('rejects %s', (_name, value, reason) => {
    // Act + Assess
    expect(() => parseLabel(value)).toThrow(ValidationError);
    expect(() => parseLabel(value)).toThrow(reason);
  });
});

describe('knownLabelOf (the detector fast path) against parseLabel', () => {
  it.each(ANOMALY_LABELS)('finds %s from its bytes, as parseLabel does', (label) => {
    // Act
    const known = knownLabelOf(Buffer.from(label));

    // Assess
    expect(known).toBe(label);
    expect(known).toBe(parseLabel(Buffer.from(label)));
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['a prefix', Buffer.from('non')],
    ['a longer value', Buffer.from('nonee')],
    ['the wrong case', Buffer.from('None')],
    ['a byte-order mark first', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('none')])],
    ['a trailing NUL', Buffer.from('none\u0000')],
    ['invalid UTF-8', Buffer.from([0xff, 0xfe])],
    ['a Latin-1 look-alike', Buffer.from('n\u00f6ne', 'latin1')],
  ])('knows nothing for %s, leaving the decision to parseLabel', (_name, bytes) => {
    // Act
    const known = knownLabelOf(bytes);

    // Assess
    expect(known).toBeUndefined();
  });
});
