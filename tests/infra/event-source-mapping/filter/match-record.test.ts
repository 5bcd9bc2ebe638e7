import { describe, expect, it } from 'vitest';
import type { KafkaRecordInput } from '../../../../functions/shared/kafka/index.js';
import { parseFilterPatterns } from '../../../../infra/event-source-mapping/filter/filter-pattern.js';
import { recordPassesFilters } from '../../../../infra/event-source-mapping/filter/match-record.js';

const record = (value: unknown, key: string | null = null): KafkaRecordInput => ({
  topic: 'logs',
  partition: 2,
  offset: 41,
  timestamp: 1_700_000_000_000,
  key,
  value: typeof value === 'string' ? value : JSON.stringify(value),
});

const passes = (patterns: unknown[], subject: KafkaRecordInput) => recordPassesFilters(subject, parseFilterPatterns(patterns));

describe('filterPatterns matching', () => {
  it('passes every record when there are no patterns', () => {
    expect(recordPassesFilters(record('anything'), [])).toBe(true);
  });

  it.each([
    ['equality on a JSON value field', [{ value: { level: ['ERROR'] } }], { level: 'ERROR' }, true],
    ['equality that misses', [{ value: { level: ['ERROR'] } }], { level: 'INFO' }, false],
    ['prefix', [{ value: { service: [{ prefix: 'pay' }] } }], { service: 'payments' }, true],
    ['suffix', [{ value: { host: [{ suffix: '.internal' }] } }], { host: 'db-1.internal' }, true],
    ['equals-ignore-case', [{ value: { level: [{ 'equals-ignore-case': 'error' }] } }], { level: 'ErRoR' }, true],
    ['anything-but', [{ value: { level: [{ 'anything-but': ['DEBUG', 'INFO'] }] } }], { level: 'INFO' }, false],
    ['numeric range inside', [{ value: { code: [{ numeric: ['>=', 500, '<', 600] }] } }], { code: 503 }, true],
    ['numeric range outside', [{ value: { code: [{ numeric: ['>=', 500, '<', 600] }] } }], { code: 404 }, false],
    ['exists true', [{ value: { trace: [{ exists: true }] } }], { trace: 't' }, true],
    ['exists false', [{ value: { trace: [{ exists: false }] } }], { level: 'INFO' }, true],
    ['a nested field', [{ value: { ctx: { region: ['eu'] } } }], { ctx: { region: 'eu' } }, true],
    ['any element of an array field', [{ value: { tags: ['hot'] } }], { tags: ['cold', 'hot'] }, true],
    ['OR across patterns', [{ value: { level: ['ERROR'] } }, { value: { n: [{ numeric: ['>', 8] }] } }], { level: 'INFO', n: 9 }, true],
    ['AND across fields', [{ value: { level: ['ERROR'], service: ['api'] } }], { level: 'ERROR', service: 'db' }, false],
    ['a non-JSON value is a string', [{ value: [{ prefix: 'plain' }] }], 'plain text line', true],
    ['a JSON-looking but broken value is a string', [{ value: { level: ['ERROR'] } }], '{"level": "ERROR"', false],
    ['record metadata', [{ partition: [2], offset: [{ numeric: ['>', 40] }] }], { any: 1 }, true],
    ['a CloudFormation-style pattern string', [{ pattern: '{"value":{"level":["WARN"]}}' }], { level: 'WARN' }, true],
  ])('%s', (_what, patterns, value, expected) => {
    expect(passes(patterns, record(value))).toBe(expected);
  });

  it('does not treat prototype properties of a value as fields', () => {
    expect(passes([{ value: { constructor: [{ exists: true }] } }], record({ level: 'x' }))).toBe(false);
    expect(passes([JSON.parse('{"value": {"__proto__": [{"exists": true}]}}')], record('{"__proto__": 1}'))).toBe(true);
  });

  it.each([
    ['not a list', { value: {} }, 'list'],
    ['too many patterns', Array.from({ length: 11 }, () => ({ value: { a: [1] } })), 'list of 1-10'],
    ['an empty object', [{}], 'non-empty object'],
    ['an empty matcher list', [{ value: { a: [] } }], 'at least one'],
    ['a matcher with two operators', [{ value: { a: [{ prefix: 'a', suffix: 'b' }] } }], 'one operator'],
    ['an oversize pattern', [{ value: { a: ['x'.repeat(5000)] } }], 'longer than 4096'],
    ['a deep pattern', [JSON.parse('{"a":'.repeat(12) + '[1]' + '}'.repeat(12))], 'nests deeper'],
    ['numeric with a bad operator', [{ value: { a: [{ numeric: ['!=', 1] }] } }], 'numeric takes operators'],
    ['exists with a string', [{ value: { a: [{ exists: 'yes' }] } }], 'exists takes true or false'],
  ])('refuses %s', (_what, raw, message) => {
    expect(() => parseFilterPatterns(raw)).toThrow(message);
  });
});
