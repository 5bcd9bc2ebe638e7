import type { Kafka } from 'kafkajs';
import type { Env } from '../../../functions/shared/config/env.js';
import type { KafkaEventWire } from '../../../functions/shared/kafka/index.js';
import { EventSourceMappingConfigError } from '../errors.js';
import type { MappingLogger } from '../logger.js';
import type { MappingDefinition } from '../mapping-definition.js';
import { createMappingRunner, type MappingRunner } from '../mapping-runner.js';
import { collectMappingDefinitions, type ServiceFunction } from './collect-definitions.js';
import { kafkaForMapping } from './kafka-for-mapping.js';

export interface OfflineMappingsOptions {
  service: string;
  stage: string;
  functions: readonly ServiceFunction[];
  /** Where broker settings are read (KAFKA_BOOTSTRAP_SERVERS, MSK_CLUSTER_ARN, KAFKA_SSL...). */
  env: Env;
  /** Runs function `functionKey` with the event; rejects when the invocation failed. */
  invoke: (functionKey: string, payload: KafkaEventWire) => Promise<unknown>;
  logger: MappingLogger;
}

export interface OfflineMappings {
  readonly definitions: readonly MappingDefinition[];
  /**
   * Starts every runner; resolves when all have joined their groups. A runner that fails to start
   * is logged, not thrown: the others keep running.
   */
  start(): Promise<void>;
  /** Stops every runner (also one still starting); idempotent, never rejects. */
  stop(): Promise<void>;
}

/**
 * The service's Kafka triggers, each a mapping runner wired to `invoke`. Definitions are validated
 * and brokers resolved here, so configuration errors surface before anything consumes.
 */
export async function createOfflineMappings(options: OfflineMappingsOptions): Promise<OfflineMappings> {
  const definitions = collectMappingDefinitions(options.service, options.stage, options.functions);
  const metrics = mappingMetricsSettings(options.env);
  const clients = new Map<string, Kafka>();
  const runners: MappingRunner[] = [];
  for (const definition of definitions) {
    const cluster = await kafkaForMapping(definition, options.env, clients);
    runners.push(
      createMappingRunner({
        definition,
        kafka: cluster.kafka,
        bootstrapServers: cluster.brokers,
        invoke: (payload) => options.invoke(definition.functionName, payload),
        logger: options.logger,
        ...(metrics === null ? {} : { metrics }),
      }),
    );
  }
  let stopped: Promise<void> | null = null;
  return {
    definitions,
    async start() {
      await Promise.all(
        runners.map((runner, index) =>
          runner.start().catch((error: unknown) => {
            options.logger.error('event-source mapping failed to start', { functionName: definitions[index]?.functionName, error: String(error) });
          }),
        ),
      );
    },
    stop() {
      stopped ??= Promise.all(runners.map((runner) => runner.stop().catch(() => undefined))).then(() => undefined);
      return stopped;
    },
  };
}

/** Default interval of the mappings' own metrics records (ms). */
export const defaultMappingMetricsIntervalMs = 10_000;

/**
 * Where and how often the mappings report esm.* metrics: METRICS_TOPIC (default "metrics") every
 * ESM_METRICS_INTERVAL_MS (1,000..3,600,000; default 10,000); ESM_METRICS_INTERVAL_MS=0 turns them off.
 */
export function mappingMetricsSettings(env: Env): { topic: string; intervalMs: number; experimentId: string | null } | null {
  const raw = env.ESM_METRICS_INTERVAL_MS?.trim();
  const intervalMs = raw === undefined || raw === '' ? defaultMappingMetricsIntervalMs : /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (intervalMs === 0) return null;
  if (!(intervalMs >= 1000 && intervalMs <= 3_600_000)) {
    throw new EventSourceMappingConfigError('*', 'ESM_METRICS_INTERVAL_MS', 'must be 0 (off) or a whole number of milliseconds from 1000 to 3600000');
  }
  const topic = env.METRICS_TOPIC?.trim() || 'metrics';
  const experimentId = env.EXPERIMENT_ID?.trim() || null;
  return { topic, intervalMs, experimentId };
}
