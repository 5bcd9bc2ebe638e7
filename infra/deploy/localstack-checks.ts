/**
 * What must hold of the packaged template before it is deployed to LocalStack: the functions run
 * in LocalStack's Lambda containers on the compose network, so their endpoints must name the
 * compose services (never localhost), and no msk trigger may be compiled (LocalStack's community
 * edition cannot run Kafka event-source mappings; the compose event-source-mapping service does).
 */
import { runtimeProblem } from './lambda-runtimes.js';
import { loopbackEndpoints, type TemplateSummary } from './template-summary.js';

/** Variables every function needs set for the compose network (serverless.yml's localstack params). */
export const requiredLocalStackVariables = ['KAFKA_BOOTSTRAP_SERVERS', 'AWS_ENDPOINT_URL_S3', 'MODEL_BUCKET'] as const;

/**
 * Variables a function needs set when serverless.yml gives it them at all: only the functions that
 * use the database get DATABASE_URL, and on LocalStack it must name the compose PostgreSQL (no
 * Secrets Manager there).
 */
export const requiredWhenDeclared = ['DATABASE_URL'] as const;

/** One sentence per problem; empty when the template may be deployed. `today` dates the runtime check. */
export function localStackDeployProblems(summary: TemplateSummary, today = new Date()): string[] {
  const problems: string[] = [];
  if (summary.functions.length === 0) problems.push('the template has no Lambda functions');
  for (const mapping of summary.mappings) {
    problems.push(`${mapping.logicalId}: an msk trigger was compiled into an event-source mapping (set the mskTriggers param to external for this stage)`);
  }
  for (const fn of summary.functions) {
    const unset = (name: string) => typeof fn.environment[name] !== 'string' || (fn.environment[name] as string).trim() === '';
    const missing = [...requiredLocalStackVariables.filter(unset), ...requiredWhenDeclared.filter((name) => name in fn.environment && unset(name))];
    if (missing.length > 0) problems.push(`${fn.name || fn.logicalId}: ${missing.join(', ')} not set (serverless.yml params of the localstack stage)`);
  }
  for (const runtime of new Set(summary.functions.map((fn) => fn.runtime))) {
    const problem = runtimeProblem(runtime, today);
    if (problem !== null) problems.push(problem);
  }
  problems.push(...loopbackEndpoints(summary));
  return problems;
}
