import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { FEATURE_COUNT, FEATURE_SCHEMA_VERSION, extractFeatureMatrix, extractFeatures, featureNames } from '../../../../functions/shared/features/index.js';
import { logRecord } from './record-fixture.js';

const records = [
  logRecord(),
  logRecord({ service: 'payment-service', level: 'ERROR', message: 'Payment failed: timeout', ts: '2024-05-01T03:15:00Z' }),
  logRecord({ service: 'auth-service', level: 'WARN', message: 'retry 2 of 5', ts: '2024-05-01T22:45:10.5Z' }),
];

describe('FEATURE_SCHEMA_VERSION', () => {
  it('is pinned: changing a feature or an encoding must change it (update this test with the model store in mind)', () => {
    // Assess
    expect(FEATURE_SCHEMA_VERSION).toBe('fs1-7-f48d0888');
    expect(FEATURE_SCHEMA_VERSION).toMatch(/^fs\d+-\d+-[0-9a-f]{8}$/);
  });
});

describe('extractFeatures', () => {
  it('returns one value per feature name, in name order', () => {
    // Act
    const row = extractFeatures(records[1]!);

    // Assess
    expect(row).toBeInstanceOf(Float64Array);
    expect(row).toHaveLength(FEATURE_COUNT);
    expect(FEATURE_COUNT).toBe(featureNames.length);
    expect(Array.from(row.slice(1))).toEqual([3, 23, 1, 0, 3, 15]);
  });

  it('is pure: the same record gives the same row and is not modified', () => {
    // Prepare
    const record = logRecord();
    const before = JSON.stringify(record);

    // Act
    const first = extractFeatures(record);
    const second = extractFeatures(record);

    // Assess
    expect(Array.from(first)).toEqual(Array.from(second));
    expect(JSON.stringify(record)).toBe(before);
  });
});

describe('extractFeatureMatrix', () => {
  it('lays rows out row-major, row i = extractFeatures(records[i])', () => {
    // Act
    const matrix = extractFeatureMatrix(records);

    // Assess
    expect(matrix).toHaveLength(records.length * FEATURE_COUNT);
    records.forEach((record, row) => {
      expect(Array.from(matrix.subarray(row * FEATURE_COUNT, (row + 1) * FEATURE_COUNT))).toEqual(Array.from(extractFeatures(record)));
    });
  });

  it('fills a caller buffer and returns a view of the used prefix', () => {
    // Prepare
    const buffer = new Float64Array(10 * FEATURE_COUNT).fill(-1);

    // Act
    const matrix = extractFeatureMatrix(records, buffer);

    // Assess
    expect(matrix).toHaveLength(records.length * FEATURE_COUNT);
    expect(matrix.buffer).toBe(buffer.buffer);
    expect(buffer[0]).toBe(matrix[0]);
    expect(buffer[records.length * FEATURE_COUNT]).toBe(-1);
  });

  it('returns the buffer itself when it is exactly the right size', () => {
    // Prepare
    const buffer = new Float64Array(records.length * FEATURE_COUNT);

    // Act + Assess
    expect(extractFeatureMatrix(records, buffer)).toBe(buffer);
  });

  it('refuses a buffer that is too small, saying how much it needs', () => {
    // Prepare
    const buffer = new Float64Array(records.length * FEATURE_COUNT - 1);

    // Act + Assess
    expect(() => extractFeatureMatrix(records, buffer)).toThrow(ValidationError);
    expect(() => extractFeatureMatrix(records, buffer)).toThrow(`needs ${records.length * FEATURE_COUNT}`);
  });

  it('gives an empty matrix for no records', () => {
    // Act + Assess
    expect(extractFeatureMatrix([])).toHaveLength(0);
  });
});
