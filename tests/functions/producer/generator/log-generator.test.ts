import { describe, expect, it } from 'vitest';
import { createLogGenerator, DEFAULT_GENERATOR_CONFIG, toKafkaMessage, type GeneratorConfig } from '../../../../functions/producer/generator/index.js';
import { LABEL_HEADER, parseLabel, parseLogRecord } from '../../../../functions/shared/log/index.js';
import { DAY_START_MS, generateOverOneDay, templatePattern, utcHour } from './generated-stream.js';

const HOUR_MS = 3_600_000;

describe('createLogGenerator determinism', () => {
  it('gives the same stream for the same seed and clock readings', () => {
    // Act
    const first = generateOverOneDay({ anomalyRate: 0.2, seed: 'repeatable', experimentId: 'exp-1', producerId: 'p-1' }, 3000);
    const second = generateOverOneDay({ anomalyRate: 0.2, seed: 'repeatable', experimentId: 'exp-1', producerId: 'p-1' }, 3000);

    // Assess
    expect(second).toEqual(first);
  });

  it('gives a different stream for another seed or another producer', () => {
    // Act
    const base = generateOverOneDay({ anomalyRate: 0.2, seed: 1, producerId: 'p-1' }, 200);
    const otherSeed = generateOverOneDay({ anomalyRate: 0.2, seed: 2, producerId: 'p-1' }, 200);
    const otherProducer = generateOverOneDay({ anomalyRate: 0.2, seed: 1, producerId: 'p-2' }, 200);

    // Assess
    const messages = (stream: typeof base) => stream.map((item) => item.record.message);
    expect(messages(otherSeed)).not.toEqual(messages(base));
    expect(messages(otherProducer)).not.toEqual(messages(base));
  });

  it('keeps the workload but changes record ids for another experiment', () => {
    // Act
    const a = generateOverOneDay({ anomalyRate: 0.2, seed: 1, experimentId: 'exp-a' }, 500);
    const b = generateOverOneDay({ anomalyRate: 0.2, seed: 1, experimentId: 'exp-b' }, 500);

    // Assess
    expect(b.map((item) => [item.label, item.record.message, item.record.ts])).toEqual(a.map((item) => [item.label, item.record.message, item.record.ts]));
    const idsA = new Set(a.map((item) => item.record.id));
    expect(b.some((item) => idsA.has(item.record.id))).toBe(false);
  });
});

describe('generated records', () => {
  const stream = generateOverOneDay({ anomalyRate: 0.5, seed: 11, experimentId: 'exp-7', producerId: 'producer-3' }, 10_000);

  it('all pass the log record schema and survive a Kafka round trip with the label in a header', () => {
    // Act
    const mismatches = stream.filter((item) => {
      const message = toKafkaMessage(item);
      const back = parseLogRecord(message.value);
      return JSON.stringify(back) !== JSON.stringify(item.record) || parseLabel(message.headers[LABEL_HEADER]) !== item.label || message.key !== item.record.service || item.key !== item.record.service;
    });

    // Assess
    expect(new Set(stream.map((item) => item.label)).size).toBe(6);
    expect(mismatches).toEqual([]);
  });

  it('carry unique UUID-shaped ids, W3C trace ids, producer fields and a running seq', () => {
    // Act
    const ids = new Set(stream.map((item) => item.record.id));

    const malformed = stream.filter(
      (item, index) =>
        !/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(item.record.id) ||
        !/^[0-9a-f]{32}$/.test(item.record.traceId ?? '') ||
        item.record.experimentId !== 'exp-7' ||
        item.record.producerId !== 'producer-3' ||
        item.record.seq !== index,
    );

    // Assess
    expect(ids.size).toBe(stream.length);
    expect(malformed).toEqual([]);
  });

  it('never put the label in the record fields', () => {
    // Act + Assess
    for (const item of stream.slice(0, 2000)) {
      expect(JSON.stringify(item.record)).not.toMatch(/error_spike|unexpected_service|message_deviation|"temporal"|"keyword"|label/);
    }
  });
});

describe('normal traffic', () => {
  const normal = generateOverOneDay({ anomalyRate: 0, seed: 5 }, 30_000).map((item) => item.record);
  const services = new Map(DEFAULT_GENERATOR_CONFIG.services.map((service) => [service.name, service]));

  it('has realistic level proportions: mostly INFO, some DEBUG and WARN, few ERROR, no FATAL', () => {
    // Act
    const share = (level: string) => normal.filter((record) => record.level === level).length / normal.length;

    // Assess
    expect(share('INFO')).toBeGreaterThan(0.65);
    expect(share('INFO')).toBeLessThan(0.75);
    expect(share('DEBUG')).toBeGreaterThan(0.09);
    expect(share('DEBUG')).toBeLessThan(0.15);
    expect(share('WARN')).toBeGreaterThan(0.08);
    expect(share('WARN')).toBeLessThan(0.14);
    expect(share('ERROR')).toBeGreaterThan(0.05);
    expect(share('ERROR')).toBeLessThan(0.09);
    expect(share('FATAL')).toBe(0);
  });

  it('spreads services by weight and uses only their own hosts and templates', () => {
    // Act
    const gatewayShare = normal.filter((record) => record.service === 'api-gateway').length / normal.length;

    // Assess: api-gateway has weight 30 of 100
    expect(gatewayShare).toBeGreaterThan(0.27);
    expect(gatewayShare).toBeLessThan(0.33);
    const foreign = normal.slice(0, 5000).filter((record) => {
      const service = services.get(record.service)!;
      return !service.hosts.includes(record.host) || !service.templates.some((template) => template.level === record.level && templatePattern(template.text).test(record.message));
    });
    expect(foreign).toEqual([]);
  });

  it('follows the diurnal pattern: every record falls in its service’s usual hours, never 02:00–05:00', () => {
    // Act
    const hours = new Set(normal.map((record) => utcHour(record.ts)));

    const outsideUsualHours = normal.filter((record) => {
      const { fromHour, toHour } = services.get(record.service)!.usualHours!;
      const hour = utcHour(record.ts);
      return hour < fromHour || hour >= toHour;
    });

    // Assess
    expect(outsideUsualHours).toEqual([]);
    expect([2, 3, 4].some((hour) => hours.has(hour))).toBe(false);
    expect(hours.size).toBeGreaterThanOrEqual(16);
  });

  it('uses the producer clock as event time during usual hours', () => {
    // Prepare
    const generator = createLogGenerator({ anomalyRate: 0 });
    const noon = DAY_START_MS + 12 * HOUR_MS + 345;

    // Act
    const record = generator.next(noon).record;

    // Assess
    expect(record.ts).toBe('2024-05-01T12:00:00.345Z');
  });

  it('folds an off-hours clock into hours all services share, the same way for every service', () => {
    // Prepare
    const generator = createLogGenerator({ anomalyRate: 0 });
    const threeAm = DAY_START_MS + 3 * HOUR_MS;

    // Act
    const timestamps = new Set(Array.from({ length: 200 }, () => generator.next(threeAm).record.ts));

    // Assess: the shared hours are 08–21, and 03:00 folds to 16:00
    expect([...timestamps]).toEqual(['2024-05-01T16:00:00.000Z']);
  });

  it('starts event time at startTime and advances it with the producer clock', () => {
    // Prepare
    const startTime = Date.UTC(2023, 0, 10, 9, 30);
    const generator = createLogGenerator({ anomalyRate: 0, startTime });

    // Act
    const first = generator.next(1_000_000);
    const later = generator.next(1_000_000 + 90_000);

    // Assess
    expect(first.record.ts).toBe('2023-01-10T09:30:00.000Z');
    expect(later.record.ts).toBe('2023-01-10T09:31:30.000Z');
  });
});

describe('custom log generation', () => {
  const config: GeneratorConfig = {
    unusualHours: { fromHour: 0, toHour: 6 },
    services: [
      {
        name: 'ledger',
        weight: 1,
        hosts: ['ledger-a'],
        usualHours: { fromHour: 9, toHour: 17 },
        templates: [
          { level: 'INFO', text: 'Posted entry {orderId} for {amount} {currency}', weight: 4 },
          { level: 'WARN', text: 'Reconciliation lagging by {durationMs}ms', weight: 1 },
        ],
      },
      { name: 'reports', weight: 1, hosts: ['reports-a', 'reports-b'], usualHours: { fromHour: 8, toHour: 20 }, templates: [{ level: 'DEBUG', text: 'Report {requestId} rendered', weight: 1 }] },
    ],
  };

  it('generates only the configured services, hosts, templates and hours', () => {
    // Act
    const normal = generateOverOneDay({ config, anomalyRate: 0, seed: 9 }, 5000).map((item) => item.record);

    const unexpected = normal.filter((record) => {
      const service = config.services.find((candidate) => candidate.name === record.service);
      if (service === undefined) return true;
      const hour = utcHour(record.ts);
      const inHours = hour >= service.usualHours!.fromHour && hour < service.usualHours!.toHour;
      return !service.hosts.includes(record.host) || !service.templates.some((template) => templatePattern(template.text).test(record.message)) || !inHours;
    });

    // Assess
    expect(new Set(normal.map((record) => record.service))).toEqual(new Set(['ledger', 'reports']));
    expect(unexpected).toEqual([]);
  });

  it('places temporal anomalies in the configured unusual hours', () => {
    // Act
    const temporal = generateOverOneDay({ config, anomalyRate: 0.2, anomalyMix: { temporal: 1 }, seed: 9 }, 5000).filter((item) => item.label === 'temporal');

    // Assess
    expect(temporal.length).toBeGreaterThan(800);
    for (const item of temporal) expect(utcHour(item.record.ts)).toBeLessThan(6);
  });
});
