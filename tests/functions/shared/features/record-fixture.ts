import type { LogRecord } from '../../../../functions/shared/log/index.js';

/** A realistic record; tests override the fields they exercise. */
export function logRecord(overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    id: 'rec-1',
    ts: '2024-05-01T14:07:31.250Z',
    service: 'api-gateway',
    level: 'INFO',
    message: 'GET /api/v1/orders 200 35ms client=10.1.2.3',
    host: 'api-gateway-7d9f8c6b5-x2k9p',
    ...overrides,
  };
}
