export { createLogGenerator, DEFAULT_SEED, type GeneratedLog, type LogGenerator, type LogGeneratorOptions } from './create-log-generator.js';
export { DEFAULT_GENERATOR_CONFIG } from './default-config.js';
export {
  compileGeneratorConfig,
  DEFAULT_UNUSUAL_HOURS,
  DEFAULT_USUAL_HOURS,
  type CompiledConfig,
  type GeneratorConfig,
  type ServiceConfig,
  type TemplateConfig,
} from './generator-config.js';
export { AnomalySchedule, type AnomalyMix } from './anomaly-schedule.js';
export { ERROR_SPIKE_MAX_RECORDS, ERROR_SPIKE_MIN_RECORDS } from './anomalies/error-spike.js';
export { MAX_TRUNCATED_CHARS } from './anomalies/message-deviation.js';
export { UNUSUAL_TOKENS } from './anomalies/unusual-tokens.js';
export { foldIntoWindow, type HourWindow } from './hour-window.js';
export { toKafkaMessage, type LogKafkaMessage } from './kafka-message.js';
export { PLACEHOLDER_NAMES } from './placeholders.js';
export { Prng, type Seed } from './prng.js';
export { MAX_TOKEN_BURST, MAX_TOKEN_RATE_PER_SECOND, TokenBucket, type TokenClock } from './token-bucket.js';
