import { decimal } from './env-schemas.js';
import { EnvReader, type Env } from './env.js';

export interface ProducerConfig {
  /** LOG_RATE: log records per second the producer aims for. */
  readonly logRatePerSecond: number;
}

export const defaultLogRatePerSecond = 1.0;

export function loadProducerConfig(env: Env): ProducerConfig {
  const reader = new EnvReader(env, 'producer');
  const logRatePerSecond = reader.read('LOG_RATE', decimal({ min: 0, max: 1_000_000, minExclusive: true }), defaultLogRatePerSecond);
  return reader.finish(() => ({ logRatePerSecond }));
}
