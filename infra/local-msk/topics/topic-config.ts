import { KafkaProtocolError } from '../errors.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { RetentionLimits } from '../storage/storage.js';

/** Topic-level configs this broker understands, with the values it accepts. */
const integerConfigs = new Set(['retention.ms', 'retention.bytes', 'max.message.bytes', 'min.insync.replicas']);
const enumConfigs: Record<string, readonly string[]> = {
  'cleanup.policy': ['delete'],
  'message.timestamp.type': ['CreateTime'],
  'compression.type': ['producer'],
};

export const supportedTopicConfigs: readonly string[] = [...integerConfigs, ...Object.keys(enumConfigs)];

export interface TopicSettings extends RetentionLimits {
  /** Largest record batch accepted by Produce, in bytes. */
  maxMessageBytes: number;
}

export interface TopicDefaults {
  retentionMs: number;
  retentionBytes: number;
  maxMessageBytes: number;
}

/** Checks a CreateTopics config map; throws INVALID_CONFIG with the offending key. */
export function validateTopicConfigs(configs: Record<string, string>): void {
  for (const [key, value] of Object.entries(configs)) {
    if (integerConfigs.has(key)) {
      if (!/^-?\d{1,18}$/.test(value) || (Number(value) < 0 && !(key.startsWith('retention.') && value === '-1'))) {
        throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `config ${key}=${JSON.stringify(value)} must be a non-negative integer${key.startsWith('retention.') ? ' or -1' : ''}`);
      }
      continue;
    }
    const allowed = enumConfigs[key];
    if (allowed) {
      if (!allowed.includes(value)) {
        throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `config ${key}=${JSON.stringify(value)} is not supported by the local MSK (allowed: ${allowed.join(', ')})`);
      }
      continue;
    }
    throw new KafkaProtocolError(ErrorCode.INVALID_CONFIG, `unknown or unsupported topic config ${JSON.stringify(key)} (supported: ${supportedTopicConfigs.join(', ')})`);
  }
}

export function topicSettings(configs: Record<string, string>, defaults: TopicDefaults): TopicSettings {
  const integer = (key: string, fallback: number) => (configs[key] === undefined ? fallback : Number(configs[key]));
  return {
    retentionMs: integer('retention.ms', defaults.retentionMs),
    retentionBytes: integer('retention.bytes', defaults.retentionBytes),
    maxMessageBytes: integer('max.message.bytes', defaults.maxMessageBytes),
  };
}
