import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATOR_CONFIG, ERROR_SPIKE_MAX_RECORDS, ERROR_SPIKE_MIN_RECORDS, MAX_TRUNCATED_CHARS, UNUSUAL_TOKENS, type GeneratedLog } from '../../../../functions/producer/generator/index.js';
import { ANOMALY_KINDS, type LogRecord } from '../../../../functions/shared/log/index.js';
import { generateOverOneDay, templatePattern, utcHour } from './generated-stream.js';

const services = new Map(DEFAULT_GENERATOR_CONFIG.services.map((service) => [service.name, service]));
const allHosts = new Set(DEFAULT_GENERATOR_CONFIG.services.flatMap((service) => service.hosts));
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\ufffd]/;

const stream = generateOverOneDay({ anomalyRate: 0.3, seed: 2024 }, 40_000);
const normal = stream.filter((item) => item.label === 'none').map((item) => item.record);
const normalLengths = normal.map((record) => record.message.length);
const minNormalLength = Math.min(...normalLengths);
const maxNormalLength = Math.max(...normalLengths);

function ofKind(kind: string): LogRecord[] {
  return stream.filter((item) => item.label === kind).map((item) => item.record);
}

function matchesOwnTemplate(record: LogRecord): boolean {
  return (services.get(record.service)?.templates ?? []).some((template) => templatePattern(template.text).test(record.message));
}

function containsUnusualToken(message: string): boolean {
  return UNUSUAL_TOKENS.some((token) => message.includes(token));
}

describe('anomaly injection', () => {
  it('produces all five kinds, each a sizeable share of anomaly events', () => {
    // Prepare: an error spike is one event of several records
    const events = new Map<string, number>();
    stream.forEach((item, index) => {
      const startsEvent = item.label !== 'error_spike' || stream[index - 1]?.label !== 'error_spike' || stream[index - 1]?.record.service !== item.record.service;
      if (item.label !== 'none' && startsEvent) events.set(item.label, (events.get(item.label) ?? 0) + 1);
    });
    const total = [...events.values()].reduce((sum, count) => sum + count, 0);

    // Assess
    for (const kind of ANOMALY_KINDS) expect((events.get(kind) ?? 0) / total, kind).toBeGreaterThan(0.15);
  });

  it('keeps normal records free of every anomaly marker', () => {
    // Assess
    expect(minNormalLength).toBeGreaterThan(MAX_TRUNCATED_CHARS);
    expect(maxNormalLength).toBeLessThan(200);
    const offenders = normal.filter(
      (record) =>
        CONTROL_OR_NEWLINE.test(record.message) ||
        containsUnusualToken(record.message) ||
        [2, 3, 4].includes(utcHour(record.ts)) ||
        !services.has(record.service) ||
        record.level === 'FATAL',
    );
    expect(normal.length).toBeGreaterThan(25_000);
    expect(offenders).toEqual([]);
  });

  it('error_spike: bursts of consecutive ERROR records from one service, each from its error templates', () => {
    // Prepare: split the stream into runs of consecutive spike records from one service
    const runs: GeneratedLog[][] = [];
    stream.forEach((item, index) => {
      const previous = stream[index - 1];
      if (item.label !== 'error_spike') return;
      if (previous?.label === 'error_spike' && previous.record.service === item.record.service) runs.at(-1)!.push(item);
      else runs.push([item]);
    });

    // Assess
    expect(runs.length).toBeGreaterThan(100);
    for (const run of runs) {
      expect(run.length).toBeGreaterThanOrEqual(ERROR_SPIKE_MIN_RECORDS);
      for (const { record } of run) {
        expect(record.level).toBe('ERROR');
        expect(matchesOwnTemplate(record)).toBe(true);
      }
    }
    const typical = runs.filter((run) => run.length <= ERROR_SPIKE_MAX_RECORDS).length / runs.length;
    expect(typical).toBeGreaterThan(0.95);
  });

  it('unexpected_service: a service never configured, or a service logging another service’s template', () => {
    // Prepare
    const records = ofKind('unexpected_service');
    let rogue = 0;
    let impersonating = 0;

    // Act
    for (const record of records) {
      if (!services.has(record.service)) {
        rogue += 1;
        expect(allHosts.has(record.host)).toBe(false);
      } else {
        impersonating += 1;
        expect(matchesOwnTemplate(record)).toBe(false);
        const owners = DEFAULT_GENERATOR_CONFIG.services.filter((service) => service.templates.some((template) => templatePattern(template.text).test(record.message)));
        expect(owners.length).toBeGreaterThan(0);
        expect(owners.map((owner) => owner.name)).not.toContain(record.service);
        expect(services.get(record.service)!.hosts).toContain(record.host);
      }
    }

    // Assess
    expect(rogue).toBeGreaterThan(records.length * 0.3);
    expect(impersonating).toBeGreaterThan(records.length * 0.3);
  });

  it('message_deviation: a length outside the normal range, or control characters / line breaks', () => {
    // Prepare
    const records = ofKind('message_deviation');
    const shapes = { stackTrace: 0, binary: 0, truncated: 0 };

    // Act
    for (const record of records) {
      const { message } = record;
      if (message.includes('\n\tat ')) shapes.stackTrace += 1;
      else if (CONTROL_OR_NEWLINE.test(message)) shapes.binary += 1;
      else if (message.length <= MAX_TRUNCATED_CHARS) shapes.truncated += 1;
      expect(message.length < minNormalLength || message.length > maxNormalLength || CONTROL_OR_NEWLINE.test(message)).toBe(true);
      expect(message).not.toContain('\u0000');
    }

    // Assess: the three shapes all occur and nothing else does
    expect(shapes.stackTrace + shapes.binary + shapes.truncated).toBe(records.length);
    for (const count of Object.values(shapes)) expect(count).toBeGreaterThan(records.length * 0.2);
    expect(records.some((record) => record.message === '')).toBe(true);
    expect(Math.max(...records.map((record) => record.message.length))).toBeGreaterThan(2000);
  });

  it('temporal: an ordinary record of a known service, timestamped 02:00–05:00 UTC', () => {
    // Prepare
    const records = ofKind('temporal');
    const hours = new Set<number>();

    // Act + Assess
    for (const record of records) {
      const hour = utcHour(record.ts);
      hours.add(hour);
      expect(hour).toBeGreaterThanOrEqual(2);
      expect(hour).toBeLessThan(5);
      expect(matchesOwnTemplate(record)).toBe(true);
      expect(services.get(record.service)!.hosts).toContain(record.host);
    }
    expect([...hours].sort()).toEqual([2, 3, 4]);
  });

  it('keyword: a known service at a usual hour whose message carries one unusual token', () => {
    // Prepare
    const records = ofKind('keyword');
    const tokensSeen = new Set<string>();

    // Act + Assess
    for (const record of records) {
      const tokens = UNUSUAL_TOKENS.filter((token) => record.message.includes(token));
      expect(tokens).toHaveLength(1);
      tokensSeen.add(tokens[0]!);
      expect(services.has(record.service)).toBe(true);
      expect(['WARN', 'ERROR', 'FATAL']).toContain(record.level);
      expect([2, 3, 4]).not.toContain(utcHour(record.ts));
    }
    expect(tokensSeen.size).toBe(UNUSUAL_TOKENS.length);
  });
});
