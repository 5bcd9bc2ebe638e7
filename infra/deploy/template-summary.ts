/**
 * Reads the CloudFormation template `serverless package` writes
 * (.serverless/cloudformation-template-update-stack.json) into the facts a deploy is checked
 * against: the functions with their environment, the event-source mappings, the buckets with their
 * access settings, and the IAM statements of the functions' role. Used by `npm run
 * deploy:localstack` before it deploys, and by tests/deploy.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../../functions/shared/errors.js';

const resourceSchema = z.object({ Type: z.string(), Condition: z.string().optional(), Properties: z.record(z.string(), z.unknown()).optional() });
const templateSchema = z.object({
  Resources: z.record(z.string(), resourceSchema),
  Conditions: z.record(z.string(), z.unknown()).optional(),
  Outputs: z.record(z.string(), z.unknown()).optional(),
});
type Resource = z.infer<typeof resourceSchema>;

export interface FunctionFacts {
  readonly logicalId: string;
  /** The deployed name, e.g. log-anomaly-detection-localstack-detector. */
  readonly name: string;
  readonly handler: string;
  readonly runtime: string;
  readonly environment: Readonly<Record<string, unknown>>;
  /** VpcConfig as written (null when the function runs outside a VPC). */
  readonly vpc: unknown;
}

export interface MappingFacts {
  readonly logicalId: string;
  /** Logical id of the function it invokes. */
  readonly functionLogicalId: string | null;
  readonly eventSourceArn: unknown;
  readonly topics: readonly unknown[];
  readonly batchSize: unknown;
  readonly maximumBatchingWindowInSeconds: unknown;
  readonly startingPosition: unknown;
  readonly consumerGroupId: unknown;
}

export interface BucketFacts {
  readonly logicalId: string;
  readonly name: unknown;
  /** The template condition that decides whether the stack creates it. */
  readonly condition: string | null;
  readonly properties: Readonly<Record<string, unknown>>;
  /** PolicyDocument statements of the AWS::S3::BucketPolicy resources on this bucket. */
  readonly policyStatements: readonly Record<string, unknown>[];
}

export interface IamStatement {
  readonly Effect: string;
  readonly Action: readonly string[];
  readonly Resource: readonly unknown[];
}

export interface TemplateSummary {
  readonly functions: readonly FunctionFacts[];
  readonly mappings: readonly MappingFacts[];
  readonly buckets: readonly BucketFacts[];
  /** Statements of IamRoleLambdaExecution's inline policies, CloudWatch Logs ones left out. */
  readonly iamStatements: readonly IamStatement[];
  readonly managedPolicyArns: readonly unknown[];
  readonly conditions: Readonly<Record<string, unknown>>;
  readonly outputs: readonly string[];
}

export async function readTemplateSummary(file: string): Promise<TemplateSummary> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ValidationError(`cannot read the packaged template ${file}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(`the packaged template ${file} is not JSON`, { cause: error });
  }
  return summarizeTemplate(json);
}

/** Throws ValidationError when `template` does not have the shape of a CloudFormation template. */
export function summarizeTemplate(template: unknown): TemplateSummary {
  const parsed = templateSchema.safeParse(template);
  if (!parsed.success) throw new ValidationError(`not a CloudFormation template: ${parsed.error.issues[0]?.path.join('.') || 'root'} ${parsed.error.issues[0]?.message}`);
  const entries = Object.entries(parsed.data.Resources);
  const ofType = (type: string) => entries.filter(([, resource]) => resource.Type === type);
  const props = (resource: Resource) => resource.Properties ?? {};

  const functions = ofType('AWS::Lambda::Function').map(([logicalId, resource]): FunctionFacts => {
    const p = props(resource);
    return {
      logicalId,
      name: String(p.FunctionName ?? ''),
      handler: String(p.Handler ?? ''),
      runtime: String(p.Runtime ?? ''),
      environment: ((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>,
      vpc: p.VpcConfig ?? null,
    };
  });
  const mappings = ofType('AWS::Lambda::EventSourceMapping').map(([logicalId, resource]): MappingFacts => {
    const p = props(resource);
    const target = p.FunctionName as { 'Fn::GetAtt'?: unknown[] } | undefined;
    return {
      logicalId,
      functionLogicalId: Array.isArray(target?.['Fn::GetAtt']) ? String(target['Fn::GetAtt'][0]) : null,
      eventSourceArn: p.EventSourceArn,
      topics: Array.isArray(p.Topics) ? p.Topics : [],
      batchSize: p.BatchSize,
      maximumBatchingWindowInSeconds: p.MaximumBatchingWindowInSeconds,
      startingPosition: p.StartingPosition,
      consumerGroupId: (p.AmazonManagedKafkaEventSourceConfig as { ConsumerGroupId?: unknown } | undefined)?.ConsumerGroupId,
    };
  });
  const policies = ofType('AWS::S3::BucketPolicy').map(([, resource]) => props(resource));
  const buckets = ofType('AWS::S3::Bucket').map(([logicalId, resource]): BucketFacts => ({
    logicalId,
    name: props(resource).BucketName,
    condition: resource.Condition ?? null,
    properties: props(resource),
    policyStatements: policies
      .filter((policy) => (policy.Bucket as { Ref?: unknown } | undefined)?.Ref === logicalId)
      .flatMap((policy) => ((policy.PolicyDocument as { Statement?: Record<string, unknown>[] } | undefined)?.Statement ?? [])),
  }));
  const role = props(parsed.data.Resources.IamRoleLambdaExecution ?? { Type: '' });
  const inline = (role.Policies as Array<{ PolicyDocument?: { Statement?: unknown[] } }> | undefined) ?? [];
  const iamStatements = inline
    .flatMap((policy) => policy.PolicyDocument?.Statement ?? [])
    .map((statement) => {
      const s = statement as { Effect?: unknown; Action?: unknown; Resource?: unknown };
      return { Effect: String(s.Effect), Action: toList(s.Action).map(String), Resource: toList(s.Resource) };
    })
    .filter((statement) => !statement.Action.every((action) => action.startsWith('logs:')));
  return {
    functions,
    mappings,
    buckets,
    iamStatements,
    managedPolicyArns: toList(role.ManagedPolicyArns),
    conditions: parsed.data.Conditions ?? {},
    outputs: Object.keys(parsed.data.Outputs ?? {}),
  };
}

/** Where each function's environment points a Lambda at the machine it runs on (127.0.0.1, localhost). */
export function loopbackEndpoints(summary: TemplateSummary): string[] {
  const problems: string[] = [];
  for (const fn of summary.functions) {
    for (const [name, value] of Object.entries(fn.environment)) {
      if (typeof value === 'string' && /(^|[/@,])(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:|\/|,|$)/i.test(value)) {
        // The value is not shown: a URL may carry a password.
        problems.push(`${fn.name || fn.logicalId}: ${name} names localhost or a loopback address, which inside Lambda is the function's own container`);
      }
    }
  }
  return problems;
}

function toList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
