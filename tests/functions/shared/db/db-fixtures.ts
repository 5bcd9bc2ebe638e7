/** Builders for repository inputs used across the db tests. */
import type { NewAnomaly, NewDeadLetter, NewLog } from '../../../../functions/shared/db/index.js';

export const BASE_TIME = Date.parse('2024-05-01T12:00:00.000Z');

export function newLog(offset: number, overrides: Partial<NewLog> = {}): NewLog {
  return {
    topic: 'logs',
    partition: offset % 3,
    offset,
    logId: `log-${offset}`,
    ts: new Date(BASE_TIME + offset * 1_000).toISOString(),
    service: ['auth', 'payments', 'search'][offset % 3]!,
    level: offset % 10 === 0 ? 'ERROR' : 'INFO',
    message: `request ${offset} handled in ${offset % 97} ms`,
    host: `host-${offset % 4}`,
    traceId: `trace-${offset}`,
    experimentId: 'exp-1',
    producerId: 'producer-1',
    label: offset % 10 === 0 ? 'anomaly' : 'normal',
    producedAt: new Date(BASE_TIME + offset * 1_000 + 5).toISOString(),
    ...overrides,
  };
}

export function anomalyFor(log: NewLog, overrides: Partial<NewAnomaly> = {}): NewAnomaly {
  return {
    topic: log.topic,
    partition: log.partition,
    offset: log.offset,
    score: 0.71,
    threshold: 0.62,
    modelVersion: 'model-v1',
    features: { messageLength: 42, errorLevel: 1 },
    contributions: [{ feature: 'errorLevel', contribution: 0.6 }],
    experimentId: log.experimentId,
    ...overrides,
  };
}

export function deadLetter(offset: number, overrides: Partial<NewDeadLetter> = {}): NewDeadLetter {
  return {
    topic: 'logs',
    partition: 0,
    offset,
    rawKey: Buffer.from(`key-${offset}`),
    rawValue: Buffer.from(`{not json ${offset}`),
    headers: [{ key: 'label', value: 'normal' }],
    reason: 'value is not valid JSON',
    component: 'detector',
    ...overrides,
  };
}
