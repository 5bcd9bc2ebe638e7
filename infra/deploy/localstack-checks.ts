/**
 * What must hold of the packaged template before it is deployed to LocalStack: the functions run
 * in LocalStack's Lambda containers on the compose network, so their endpoints must name the
 * compose services (never localhost), and no msk trigger may be compiled (LocalStack's community
 * edition cannot run Kafka event-source mappings; the compose event-source-mapping service does).
 */
import { loopbackEndpoints, type TemplateSummary } from './template-summary.js';

/** Variables every function needs set for the compose network (serverless.yml's localstack params). */
export const requiredLocalStackVariables = ['KAFKA_BOOTSTRAP_SERVERS', 'DATABASE_URL', 'AWS_ENDPOINT_URL_S3', 'MODEL_BUCKET'] as const;

/** One sentence per problem; empty when the template may be deployed. */
export function localStackDeployProblems(summary: TemplateSummary): string[] {
  const problems: string[] = [];
  if (summary.functions.length === 0) problems.push('the template has no Lambda functions');
  for (const mapping of summary.mappings) {
    problems.push(`${mapping.logicalId}: an msk trigger was compiled into an event-source mapping (set the mskTriggers param to external for this stage)`);
  }
  for (const fn of summary.functions) {
    const missing = requiredLocalStackVariables.filter((name) => typeof fn.environment[name] !== 'string' || (fn.environment[name] as string).trim() === '');
    if (missing.length > 0) problems.push(`${fn.name || fn.logicalId}: ${missing.join(', ')} not set (serverless.yml params of the localstack stage)`);
  }
  problems.push(...loopbackEndpoints(summary));
  return problems;
}
