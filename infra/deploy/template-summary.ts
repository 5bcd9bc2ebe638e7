/**
 * Reads the CloudFormation template `serverless package` writes
 * (.serverless/cloudformation-template-update-stack.json) into the facts a deploy is checked
 * against: the functions with their environment and role, the event-source mappings, the buckets
 * with their access settings, and the IAM statements of the functions' roles. The template is read
 * as CloudFormation would create it (resolve-template.ts: conditions of the stage applied, pseudo
 * parameters filled with placeholders). Used by `npm run deploy:localstack` before it deploys, and
 * by tests/deploy.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ValidationError } from '../../functions/shared/errors.js';
import { placeholderPseudo, resolveTemplate, type Pseudo } from './resolve-template.js';

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
  /** The role it runs with (null when its Role is not a role of this template). */
  readonly role: RoleFacts | null;
}

export interface RoleFacts {
  readonly logicalId: string;
  /** Every statement of its inline policies, CloudWatch Logs ones included. */
  readonly statements: readonly IamStatement[];
  readonly managedPolicyArns: readonly unknown[];
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
  /** SourceAccessConfigurations as written (how the trigger authenticates; empty when none). */
  readonly sourceAccessConfigurations: readonly unknown[];
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
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: readonly string[];
  readonly Resource: readonly unknown[];
  readonly Condition?: unknown;
}

export interface TemplateSummary {
  readonly functions: readonly FunctionFacts[];
  readonly mappings: readonly MappingFacts[];
  readonly buckets: readonly BucketFacts[];
  /** Statements of the functions' roles' inline policies, CloudWatch Logs ones left out. */
  readonly iamStatements: readonly IamStatement[];
  /** The managed policies of the functions' roles, each once. */
  readonly managedPolicyArns: readonly unknown[];
  /** The Conditions section as written (the params resolved by serverless). */
  readonly conditions: Readonly<Record<string, unknown>>;
  /** Each condition's value for this template. */
  readonly conditionValues: Readonly<Record<string, boolean>>;
  readonly outputs: readonly string[];
}

export async function readTemplateSummary(file: string, pseudo: Pseudo = placeholderPseudo): Promise<TemplateSummary> {
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
  return summarizeTemplate(json, pseudo);
}

/** Throws ValidationError when `template` does not have the shape of a CloudFormation template. */
export function summarizeTemplate(template: unknown, pseudo: Pseudo = placeholderPseudo): TemplateSummary {
  const written = templateSchema.safeParse(template);
  if (!written.success) throw new ValidationError(`not a CloudFormation template: ${written.error.issues[0]?.path.join('.') || 'root'} ${written.error.issues[0]?.message}`);
  const resolved = resolveTemplate(template, pseudo);
  const parsed = templateSchema.safeParse(resolved);
  if (!parsed.success) throw new ValidationError(`not a CloudFormation template once resolved: ${parsed.error.issues[0]?.path.join('.') || 'root'} ${parsed.error.issues[0]?.message}`);
  const entries = Object.entries(parsed.data.Resources);
  const ofType = (type: string) => entries.filter(([, resource]) => resource.Type === type);
  const props = (resource: Resource) => resource.Properties ?? {};

  const roleFacts = (logicalId: string): RoleFacts | null => {
    const role = parsed.data.Resources[logicalId];
    if (role?.Type !== 'AWS::IAM::Role') return null;
    const inline = (props(role).Policies as Array<{ PolicyDocument?: { Statement?: unknown[] } }> | undefined) ?? [];
    return { logicalId, statements: inline.flatMap((policy) => toList(policy.PolicyDocument?.Statement).map(toStatement)), managedPolicyArns: toList(props(role).ManagedPolicyArns) };
  };
  const functions = ofType('AWS::Lambda::Function').map(([logicalId, resource]): FunctionFacts => {
    const p = props(resource);
    const roleRef = (p.Role as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt'];
    return {
      logicalId,
      name: String(p.FunctionName ?? ''),
      handler: String(p.Handler ?? ''),
      runtime: String(p.Runtime ?? ''),
      environment: ((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {}) as Record<string, unknown>,
      vpc: p.VpcConfig ?? null,
      role: Array.isArray(roleRef) ? roleFacts(String(roleRef[0])) : null,
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
      sourceAccessConfigurations: Array.isArray(p.SourceAccessConfigurations) ? p.SourceAccessConfigurations : [],
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
  const roles = [...new Map(functions.flatMap((fn) => (fn.role ? [[fn.role.logicalId, fn.role] as const] : []))).values()];
  const iamStatements = roles.flatMap((role) => role.statements).filter((statement) => !statement.Action.every((action) => action.startsWith('logs:')));
  return {
    functions,
    mappings,
    buckets,
    iamStatements,
    managedPolicyArns: [...new Set(roles.flatMap((role) => role.managedPolicyArns.map((arn) => JSON.stringify(arn))))].map((arn) => JSON.parse(arn) as unknown),
    conditions: written.data.Conditions ?? {},
    conditionValues: resolved.conditions,
    outputs: Object.keys(parsed.data.Outputs ?? {}),
  };
}

function toStatement(statement: unknown): IamStatement {
  const s = statement as { Sid?: unknown; Effect?: unknown; Action?: unknown; Resource?: unknown; Condition?: unknown };
  return {
    ...(typeof s.Sid === 'string' ? { Sid: s.Sid } : {}),
    Effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    Action: toList(s.Action).map(String),
    Resource: toList(s.Resource),
    ...(s.Condition === undefined ? {} : { Condition: s.Condition }),
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
