import { matching } from './env-schemas.js';
import { EnvReader, type Env } from './env.js';

export interface MetricsConfig {
  /** EXPERIMENT_ID: groups metrics of one experiment run; null outside experiments. */
  readonly experimentId: string | null;
  /** COMPONENT_ID, else the Lambda function name, else "local": who emits the metrics. */
  readonly componentId: string;
}

/** Ids end up in SQL rows and dashboard labels: a plain character set keeps them harmless. */
const idSchema = matching(/^[A-Za-z0-9._:@/-]+$/, 128, 'letters, digits and . _ : @ / -');

export function loadMetricsConfig(env: Env): MetricsConfig {
  const reader = new EnvReader(env, 'metrics');
  const experimentId = reader.read('EXPERIMENT_ID', idSchema) ?? null;
  const componentId = reader.read('COMPONENT_ID', idSchema) ?? reader.read('AWS_LAMBDA_FUNCTION_NAME', idSchema) ?? 'local';
  return reader.finish(() => ({ experimentId, componentId }));
}
