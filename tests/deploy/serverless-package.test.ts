import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTemplateSummary, type BucketFacts, type TemplateSummary } from '../../infra/deploy/template-summary.js';
import { createServiceSandbox, describeRun, offlineEnv, repoRoot, runServerless, type ServiceSandbox } from '../infra/serverless/run-serverless.js';

const run = promisify(execFile);
const awsCluster = 'arn:aws:kafka:eu-west-1:123456789012:cluster/prod-logs/0b7e6c1a-1111-2222-3333-444455556666-2';
const awsParams = [
  `--param=mskClusterArn=${awsCluster}`,
  '--param=subnetIds=subnet-0a1,subnet-0b2',
  '--param=securityGroupIds=sg-0c3',
  '--param=modelBucket=acme-log-anomaly-models',
  '--param=dashboardBucket=acme-log-anomaly-dashboard',
];

interface MskEvent {
  arn: string;
  topic: string;
  batchSize: number;
  maximumBatchingWindow: number;
  startingPosition: string;
  consumerGroupId: string;
}

const bucket = (summary: TemplateSummary, logicalId: string): BucketFacts => {
  const found = summary.buckets.find((each) => each.logicalId === logicalId);
  if (!found) throw new Error(`no bucket ${logicalId} in the template`);
  return found;
};

/**
 * `serverless package` with no network, for the three kinds of stage: the default (as for
 * `serverless offline`, and any AWS stage configured by environment), `localstack` (through
 * `npm run deploy:localstack -- --package-only`, the command's own checks included) and `aws`.
 */
describe('serverless package offline', () => {
  let sandbox: ServiceSandbox;
  let outDir: string;
  const templates: Record<'dev' | 'localstack' | 'aws', TemplateSummary | null> = { dev: null, localstack: null, aws: null };
  let printed: { functions: Record<string, { events?: Array<{ msk?: MskEvent }> }> };
  let localstackOutput: Record<string, unknown>;

  beforeAll(async () => {
    [sandbox, outDir] = await Promise.all([createServiceSandbox(), mkdtemp(join(tmpdir(), 'deploy-package-'))]);
    const env = offlineEnv({});
    // One package at a time: osls stages the zips in the service directory's .serverless/.
    const [print, dev] = await Promise.all([
      runServerless(sandbox.dir, ['print', '--format', 'json'], env),
      runServerless(sandbox.dir, ['package', '--package', join(outDir, 'dev')], env, 150_000),
    ]);
    const aws = await runServerless(sandbox.dir, ['package', '--stage', 'aws', '--region', 'eu-west-1', '--package', join(outDir, 'aws'), ...awsParams], env, 150_000);
    for (const each of [print, dev, aws]) if (each.code !== 0) throw new Error(describeRun(each));
    printed = JSON.parse(print.stdout);
    const localstack = await run(
      process.execPath,
      ['--import', 'tsx', 'infra/deploy/deploy-localstack.ts', '--package-only', '--package-dir', join(outDir, 'localstack')],
      { cwd: repoRoot, env: offlineEnv({}), timeout: 150_000 },
    );
    localstackOutput = JSON.parse(localstack.stdout);
    for (const stage of ['dev', 'localstack', 'aws'] as const) {
      templates[stage] = await readTemplateSummary(join(outDir, stage, 'cloudformation-template-update-stack.json'));
    }
  }, 200_000);

  afterAll(async () => {
    await sandbox?.remove();
    await rm(outDir, { recursive: true, force: true });
  });

  it('compiles one event-source mapping per msk event, with its topic, batch size, window, starting position and group', () => {
    // Prepare: the msk events as osls resolves them.
    const events = Object.entries(printed.functions).flatMap(([name, fn]) => (fn.events ?? []).filter((event) => event.msk).map((event) => ({ name, msk: event.msk! })));
    const template = templates.dev!;

    // Act
    const compiled = template.mappings.map((mapping) => ({
      function: template.functions.find((fn) => fn.logicalId === mapping.functionLogicalId)?.name,
      arn: mapping.eventSourceArn,
      topics: mapping.topics,
      batchSize: mapping.batchSize,
      window: mapping.maximumBatchingWindowInSeconds,
      startingPosition: mapping.startingPosition,
      group: mapping.consumerGroupId,
    }));

    // Assess
    expect(events.length).toBeGreaterThanOrEqual(2);
    expect(compiled).toHaveLength(events.length);
    for (const { name, msk } of events) {
      expect(compiled).toContainEqual({
        function: `log-anomaly-detection-dev-${name}`,
        arn: msk.arn,
        topics: [msk.topic],
        batchSize: msk.batchSize,
        window: msk.maximumBatchingWindow,
        startingPosition: msk.startingPosition,
        group: msk.consumerGroupId,
      });
    }
  });

  it('makes the model bucket private and the dashboard bucket a website whose objects alone are publicly readable', () => {
    // Prepare
    const template = templates.dev!;

    // Act
    const model = bucket(template, 'ModelBucket');
    const dashboard = bucket(template, 'DashboardBucket');

    // Assess
    expect(model.name).toBe('log-anomaly-models');
    expect(model.properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(model.properties.WebsiteConfiguration).toBeUndefined();
    expect(model.policyStatements).toEqual([]);
    expect(dashboard.name).toBe('log-anomaly-dashboard');
    expect(dashboard.properties.WebsiteConfiguration).toEqual({ IndexDocument: 'index.html' });
    expect(dashboard.properties.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false });
    expect(dashboard.policyStatements).toEqual([
      { Sid: 'PublicReadDashboard', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: ['arn:aws:s3:::log-anomaly-dashboard/index.html', 'arn:aws:s3:::log-anomaly-dashboard/assets/*', 'arn:aws:s3:::log-anomaly-dashboard/data/*'] },
    ]);
    expect(template.conditions.CreateBuckets).toEqual({ 'Fn::Equals': ['true', 'true'] });
    expect(template.outputs).toContain('DashboardWebsiteUrl');
  });

  it('grants the functions only their buckets, their cluster and the network interfaces an MSK trigger needs', () => {
    // Prepare
    const template = templates.aws!;
    const buckets = ['acme-log-anomaly-models', 'acme-log-anomaly-dashboard'];

    // Act
    const byService = (prefix: string) => template.iamStatements.filter((statement) => statement.Action.some((action) => action.startsWith(prefix)));

    // Assess
    expect(template.iamStatements.every((statement) => statement.Effect === 'Allow' && statement.Action.every((action) => /^(s3|kafka|ec2):[A-Za-z0-9]+$/.test(action)))).toBe(true);
    expect(template.managedPolicyArns).toHaveLength(1); // the functions run in the VPC
    expect(JSON.stringify(template.managedPolicyArns)).toContain(':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole');
    for (const resource of byService('s3:').flatMap((statement) => statement.Resource)) {
      expect(buckets.some((name) => resource === `arn:aws:s3:::${name}` || String(resource).startsWith(`arn:aws:s3:::${name}/`))).toBe(true);
    }
    expect(byService('s3:').flatMap((statement) => statement.Action)).not.toContain('s3:DeleteBucket');
    expect(new Set(byService('kafka:').flatMap((statement) => statement.Resource))).toEqual(new Set([awsCluster]));
    expect(byService('ec2:').flatMap((statement) => statement.Resource)).toEqual(byService('ec2:').map(() => '*')); // EC2 ENI actions take no resource ARNs
  });

  it('wires the aws stage to the cluster, the VPC and the database secret, with no local endpoint', () => {
    // Prepare
    const template = templates.aws!;

    // Act
    const environments = template.functions.map((fn) => fn.environment);

    // Assess
    expect(template.functions).toHaveLength(Object.keys(printed.functions).length);
    for (const fn of template.functions) {
      expect(fn.vpc).toEqual({ SubnetIds: { 'Fn::Split': [',', 'subnet-0a1,subnet-0b2'] }, SecurityGroupIds: { 'Fn::Split': [',', 'sg-0c3'] } });
    }
    for (const env of environments) {
      expect(env).toMatchObject({
        MSK_CLUSTER_ARN: awsCluster,
        KAFKA_BOOTSTRAP_SERVERS: '',
        AWS_ENDPOINT_URL_S3: '',
        DATABASE_URL: '{{resolve:secretsmanager:log-anomaly/aws/database:SecretString:url}}',
        MODEL_BUCKET: 'acme-log-anomaly-models',
      });
    }
    expect(template.mappings.map((mapping) => mapping.eventSourceArn)).toEqual(template.mappings.map(() => awsCluster));
  });

  it('packages the localstack stage for the compose network, leaving the msk triggers to the mapping service', () => {
    // Prepare
    const template = templates.localstack!;

    // Act
    const environments = template.functions.map((fn) => fn.environment);

    // Assess
    expect(localstackOutput).toMatchObject({ stage: 'localstack', checks: 'passed' });
    expect(localstackOutput.functions).toEqual(template.functions.map((fn) => fn.name).sort());
    expect(template.mappings).toEqual([]);
    expect(template.iamStatements.flatMap((statement) => statement.Action).filter((action) => action.startsWith('ec2:'))).toEqual([]);
    expect(template.conditions.CreateBuckets).toEqual({ 'Fn::Equals': ['false', 'true'] }); // localstack/init makes them
    for (const env of environments) {
      expect(env).toMatchObject({
        KAFKA_BOOTSTRAP_SERVERS: 'kafka:29092',
        DATABASE_URL: 'postgres://postgres:postgres@postgres:5432/log_anomaly',
        AWS_ENDPOINT_URL_S3: 'http://localstack:4566',
        S3_FORCE_PATH_STYLE: 'true',
        MODEL_BUCKET: 'log-anomaly-models',
      });
    }
    expect(template.functions.every((fn) => fn.vpc === null)).toBe(true);
  });

  it('gives the buckets the same settings in LocalStack (init hook files) as in the template', async () => {
    // Prepare
    const template = templates.dev!;
    const settings = async (name: string) => JSON.parse(await readFile(join(repoRoot, 'localstack', 'buckets', name), 'utf8'));
    const hook = await readFile(join(repoRoot, 'localstack/init/ready.d/10-buckets.sh'), 'utf8');

    // Act
    const [privateBlock, websiteBlock, website, encryption, ownership] = await Promise.all(
      ['private-public-access-block.json', 'website-public-access-block.json', 'website.json', 'encryption.json', 'ownership.json'].map(settings),
    );

    // Assess
    expect(privateBlock).toEqual(bucket(template, 'ModelBucket').properties.PublicAccessBlockConfiguration);
    expect(websiteBlock).toEqual(bucket(template, 'DashboardBucket').properties.PublicAccessBlockConfiguration);
    expect(website).toEqual({ IndexDocument: { Suffix: (bucket(template, 'DashboardBucket').properties.WebsiteConfiguration as { IndexDocument: string }).IndexDocument } });
    expect(ownership).toEqual(bucket(template, 'ModelBucket').properties.OwnershipControls);
    const sse = (bucket(template, 'ModelBucket').properties.BucketEncryption as { ServerSideEncryptionConfiguration: Array<{ ServerSideEncryptionByDefault: unknown }> })
      .ServerSideEncryptionConfiguration;
    expect(encryption).toEqual({ Rules: sse.map((rule) => ({ ApplyServerSideEncryptionByDefault: rule.ServerSideEncryptionByDefault })) });
    const statement = bucket(template, 'DashboardBucket').policyStatements[0]!;
    const resources = (statement.Resource as string[]).map((arn) => JSON.stringify(arn.replace('log-anomaly-dashboard', '%s'))).join(',');
    expect(hook).toContain(`"Sid":"${statement.Sid}","Effect":"${statement.Effect}","Principal":"${statement.Principal}","Action":"${statement.Action}","Resource":[${resources}]`);
  });
});
