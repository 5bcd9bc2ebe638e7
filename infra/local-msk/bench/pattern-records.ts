import type { LeanRecord } from '../../bench/pipeline/lean-batch.js';

/** Service names used as record keys (the producer function keys records by service). */
const services = ['auth', 'billing', 'catalog', 'checkout', 'gateway', 'inventory', 'search', 'shipping'];

/**
 * `count` log-shaped records of about `valueBytes` bytes (JSON text), keyed by service name,
 * each with one header, built before the clock starts so producing them costs only encoding.
 */
export function patternRecords(count: number, valueBytes = 300): LeanRecord[] {
  const records: LeanRecord[] = [];
  for (let i = 0; i < count; i++) {
    const service = services[i % services.length]!;
    const head = `{"timestamp":"2026-11-24T10:00:00.000Z","service":"${service}","level":"INFO","message":"request ${i} served`;
    const tail = '"}';
    const padding = Math.max(0, valueBytes - head.length - tail.length);
    records.push({ key: service, value: Buffer.from(head + ' '.repeat(padding) + tail), headers: [{ key: 'producer-id', value: 'bench-pattern' }] });
  }
  return records;
}
