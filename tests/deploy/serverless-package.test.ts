import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadResourceSpecs } from '../../infra/deploy/cfn-spec.js';
import { checkTemplateAgainstSpec, describeViolations } from '../../infra/deploy/cfn-spec-check.js';
import { allows } from '../../infra/deploy/iam-access.js';
import { nodeRuntimes, runtimeProblem } from '../../infra/deploy/lambda-runtimes.js';
import { resolveTemplate, type Pseudo } from '../../infra/deploy/resolve-template.js';
import { summarizeTemplate, type BucketFacts, type FunctionFacts, type TemplateSummary } from '../../infra/deploy/template-summary.js';
import { parseMappingDefinition } from '../../infra/event-source-mapping/mapping-definition.js';
import { bundleTarget } from '../../infra/serverless/bundle-handler.js';
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
/** The aws stage once more with SASL/SCRAM instead of IAM: the cluster's AmazonMSK_ secret. */
const scramSecretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_x-AbCdEf';
const scramParams = ['--param=kafkaAuth=scram-sha-512', `--param=kafkaScramSecretArn=${scramSecretArn}`];
const stages = ['dev', 'localstack', 'aws'] as const;
type Stage = (typeof stages)[number];
/** Where each stage is packaged for (the account id is a placeholder: CloudFormation fills it in). */
const pseudo: Record<Stage, Pseudo> = {
  dev: { region: 'us-east-1', accountId: '123456789012', partition: 'aws', stackName: 'log-anomaly-detection-dev' },
  localstack: { region: 'us-east-1', accountId: '000000000000', partition: 'aws', stackName: 'log-anomaly-detection-localstack' },
  aws: { region: 'eu-west-1', accountId: '123456789012', partition: 'aws', stackName: 'log-anomaly-detection-aws' },
};

interface MskEvent {
  arn: string;
  topic: string;
  batchSize: number;
  maximumBatchingWindow?: number;
  startingPosition: string;
  consumerGroupId: string;
}

const bucket = (summary: TemplateSummary, logicalId: string): BucketFacts => {
  const found = summary.buckets.find((each) => each.logicalId === logicalId);
  if (!found) throw new Error(`no bucket ${logicalId} in the template`);
  return found;
};

const fn = (summary: TemplateSummary, name: string): FunctionFacts => {
  const found = summary.functions.find((each) => each.name.endsWith(`-${name}`));
  if (!found) throw new Error(`no function ${name} in the template`);
  return found;
};

/**
 * `serverless package` with no network, for the three kinds of stage: the default (as for
 * `serverless offline`, and any AWS stage configured by environment; packaged here with the
 * explicit public dashboard option), `localstack` (through `npm run deploy:localstack --
 * --package-only`, the command's own checks included) and `aws` (the CloudFront default).
 */
describe('serverless package offline', () => {
  let sandbox: ServiceSandbox;
  let outDir: string;
  const raw = {} as Record<Stage, unknown>;
  const templates = {} as Record<Stage, TemplateSummary>;
  let printed: { functions: Record<string, { events?: Array<{ msk?: MskEvent }> }> };
  let localstackOutput: Record<string, unknown>;
  let scramRaw: unknown;
  let scram: TemplateSummary;

  beforeAll(async () => {
    [sandbox, outDir] = await Promise.all([createServiceSandbox(), mkdtemp(join(tmpdir(), 'deploy-package-'))]);
    const env = offlineEnv({});
    // One package at a time: osls stages the zips in the service directory's .serverless/.
    const [print, dev] = await Promise.all([
      runServerless(sandbox.dir, ['print', '--format', 'json'], env),
      runServerless(sandbox.dir, ['package', '--package', join(outDir, 'dev'), '--param=dashboardAccess=public'], env, 150_000),
    ]);
    const aws = await runServerless(sandbox.dir, ['package', '--stage', 'aws', '--region', 'eu-west-1', '--package', join(outDir, 'aws'), ...awsParams], env, 150_000);
    const awsScram = await runServerless(
      sandbox.dir,
      ['package', '--stage', 'aws', '--region', 'eu-west-1', '--package', join(outDir, 'aws-scram'), ...awsParams, ...scramParams],
      env,
      150_000,
    );
    for (const each of [print, dev, aws, awsScram]) if (each.code !== 0) throw new Error(describeRun(each));
    printed = JSON.parse(print.stdout);
    const localstack = await run(
      process.execPath,
      ['--import', 'tsx', 'infra/deploy/deploy-localstack.ts', '--package-only', '--package-dir', join(outDir, 'localstack')],
      { cwd: repoRoot, env: offlineEnv({}), timeout: 150_000 },
    );
    localstackOutput = JSON.parse(localstack.stdout);
    for (const stage of stages) {
      raw[stage] = JSON.parse(await readFile(join(outDir, stage, 'cloudformation-template-update-stack.json'), 'utf8'));
      templates[stage] = summarizeTemplate(raw[stage], pseudo[stage]);
    }
    scramRaw = JSON.parse(await readFile(join(outDir, 'aws-scram', 'cloudformation-template-update-stack.json'), 'utf8'));
    scram = summarizeTemplate(scramRaw, pseudo.aws);
  }, 300_000);

  afterAll(async () => {
    await sandbox?.remove();
    await rm(outDir, { recursive: true, force: true });
  });

  it("passes AWS's resource specification on every stage: known types and properties, required ones present, primitive types right", async () => {
    // Prepare
    const specs = await loadResourceSpecs();

    // Act
    const violations = Object.fromEntries(stages.map((stage) => [stage, describeViolations(checkTemplateAgainstSpec(raw[stage], specs))]));

    // Assess
    expect(violations).toEqual({ dev: '', localstack: '', aws: '' });
  });

  it('compiles one event-source mapping per msk event, with its topic, batch size, window, starting position and group', () => {
    // Prepare: the msk events as osls resolves them.
    const events = Object.entries(printed.functions).flatMap(([name, fn]) => (fn.events ?? []).filter((event) => event.msk).map((event) => ({ name, msk: event.msk! })));
    const template = templates.dev;

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

  it("gives AWS whole seconds for every batching window, and leaves the detector's unset: 500 ms on AWS and in the local mapping", () => {
    // Prepare
    const detectorEvent = printed.functions.detector!.events!.find((event) => event.msk)!;

    // Act
    const windows = stages.flatMap((stage) => templates[stage].mappings.map((mapping) => mapping.maximumBatchingWindowInSeconds));
    const detectorWindow = templates.aws.mappings.find((mapping) => mapping.topics.includes('logs'))!.maximumBatchingWindowInSeconds;
    const local = parseMappingDefinition(detectorEvent, { service: 'log-anomaly-detection', stage: 'dev', functionName: 'detector' });

    // Assess
    expect(windows.length).toBeGreaterThan(0);
    for (const window of windows) expect(window === undefined || Number.isInteger(window), String(window)).toBe(true);
    expect(JSON.stringify(raw)).not.toMatch(/"MaximumBatchingWindowInSeconds":\s*\d+\.\d/);
    expect(detectorWindow).toBeUndefined();
    expect(local.maximumBatchingWindowMs).toBe(500);
  });

  it('runs every function on a Node.js runtime AWS supports today, the one the bundles are built for', () => {
    // Act
    const runtimes = new Set(stages.flatMap((stage) => templates[stage].functions.map((each) => each.runtime)));

    // Assess
    expect([...runtimes]).toEqual(['nodejs22.x']);
    expect(runtimeProblem('nodejs22.x', new Date())).toBeNull();
    expect(bundleTarget).toBe(`node${nodeRuntimes.find((runtime) => runtime.identifier === 'nodejs22.x')!.nodeMajor}`);
  });

  it('with dashboardAccess public: a private model bucket and a website dashboard bucket whose objects alone are publicly readable', () => {
    // Prepare
    const template = templates.dev;

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
    expect(template.outputs).not.toContain('DashboardUrl');
    expect(Object.values(resolveTemplate(raw.dev).Resources).map((resource) => resource.Type)).not.toContain('AWS::CloudFront::Distribution');
  });

  it('by default (aws stage): a private dashboard bucket that only its CloudFront distribution, through an origin access control, may read', () => {
    // Prepare
    const resources = resolveTemplate(raw.aws, pseudo.aws).Resources;
    const dashboard = bucket(templates.aws, 'DashboardBucket');

    // Act
    const distribution = (resources.DashboardDistribution?.Properties as { DistributionConfig: Record<string, any> }).DistributionConfig;
    const statements = dashboard.policyStatements;

    // Assess
    expect(dashboard.properties.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    expect(dashboard.properties.WebsiteConfiguration).toBeUndefined();
    expect(statements).toEqual([
      {
        Sid: 'CloudFrontReadsDashboard',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Action: 's3:GetObject',
        Resource: ['index.html', 'assets/*', 'data/*'].map((key) => `arn:aws:s3:::acme-log-anomaly-dashboard/${key}`),
        Condition: { StringEquals: { 'AWS:SourceArn': { 'Fn::Join': ['', ['arn:aws:cloudfront::', '123456789012', ':distribution/', { Ref: 'DashboardDistribution' }]] } } },
      },
    ]);
    expect(statements.some((statement) => statement.Principal === '*')).toBe(false);
    expect(distribution.Origins).toEqual([
      {
        Id: 'dashboard-bucket',
        DomainName: { 'Fn::GetAtt': ['DashboardBucket', 'RegionalDomainName'] },
        OriginAccessControlId: { 'Fn::GetAtt': ['DashboardOriginAccessControl', 'Id'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
      },
    ]);
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(distribution.WebACLId).toBeUndefined();
    expect(resources.DashboardOriginAccessControl?.Properties).toMatchObject({ OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' } });
    expect(templates.aws.outputs).toContain('DashboardUrl');
    expect(templates.aws.outputs).not.toContain('DashboardWebsiteUrl');
  });

  it('gives each function its own role with only what its code does: the producer writes no models nor data, only the publisher writes data/, the detector reads and writes models/', () => {
    for (const stage of ['dev', 'aws'] as const) {
      // Prepare
      const template = templates[stage];
      const [models, dashboardData] = stage === 'aws' ? ['acme-log-anomaly-models', 'acme-log-anomaly-dashboard'] : ['log-anomaly-models', 'log-anomaly-dashboard'];
      const cluster = stage === 'aws' ? awsCluster : String(template.mappings[0]!.eventSourceArn);
      const secret = `arn:aws:secretsmanager:${pseudo[stage].region}:${pseudo[stage].accountId}:secret:log-anomaly/${stage}/database-AbCdEf`;
      const can = (name: string, action: string, resource: string) => allows(fn(template, name).role!.statements, action, resource);
      const names = ['producer', 'detector', 'metrics-aggregator'];

      // Act
      const roles = new Set(names.map((name) => fn(template, name).role?.logicalId));
      const writesModels = names.filter((name) => can(name, 's3:PutObject', `arn:aws:s3:::${models}/models/latest`));
      const readsModels = names.filter((name) => can(name, 's3:GetObject', `arn:aws:s3:::${models}/models/v1/model.json`));
      const writesData = names.filter((name) => ['s3:PutObject', 's3:DeleteObject'].some((action) => can(name, action, `arn:aws:s3:::${dashboardData}/data/realtime.json`)));
      const writesPage = names.filter((name) => can(name, 's3:PutObject', `arn:aws:s3:::${dashboardData}/index.html`));
      const readsSecret = names.filter((name) => can(name, 'secretsmanager:GetSecretValue', secret));
      const anyS3 = names.filter((name) => fn(template, name).role!.statements.some((statement) => statement.Action.some((action) => action.startsWith('s3:'))));

      // Assess
      expect(roles.size, stage).toBe(3);
      expect(writesModels, stage).toEqual(['detector']);
      expect(readsModels, stage).toEqual(['detector']);
      expect(writesData, stage).toEqual(['metrics-aggregator']);
      expect(writesPage, stage).toEqual([]);
      expect(anyS3, stage).toEqual(['detector', 'metrics-aggregator']);
      expect(readsSecret, stage).toEqual(stage === 'aws' ? ['detector', 'metrics-aggregator'] : []);
      for (const name of names) {
        expect(can(name, 'kafka:GetBootstrapBrokers', cluster), `${stage} ${name}`).toBe(true);
        expect(can(name, 'logs:PutLogEvents', `arn:aws:logs:${pseudo[stage].region}:${pseudo[stage].accountId}:log-group:/aws/lambda/log-anomaly-detection-${stage}-${name}:log-stream:x`)).toBe(true);
        expect(can(name, 'logs:PutLogEvents', `arn:aws:logs:${pseudo[stage].region}:${pseudo[stage].accountId}:log-group:/aws/lambda/other:log-stream:x`)).toBe(false);
      }
      // The event-source mappings' network interfaces: only the functions with an msk trigger (the VPC's
      // own come from AWSLambdaVPCAccessExecutionRole, a managed policy, on the aws stage).
      expect(names.filter((name) => can(name, 'ec2:CreateNetworkInterface', '*')), stage).toEqual(['detector', 'metrics-aggregator']);
    }
  });

  it('gives each function exactly the kafka-cluster actions it needs with IAM authentication (aws stage), and none without', () => {
    // Prepare: the cluster's topics and consumer groups
    const template = templates.aws;
    const [prefix, cluster] = awsCluster.split(':cluster/') as [string, string];
    const topic = (name: string) => `${prefix}:topic/${cluster}/${name}`;
    const group = (name: string) => `${prefix}:group/${cluster}/log-anomaly-detection-aws-${name}`;
    const can = (name: string, action: string, resource: string) => allows(fn(template, name).role!.statements, action, resource);
    const names = ['producer', 'detector', 'metrics-aggregator'];
    const who = (action: string, resource: string) => names.filter((name) => can(name, action, resource));

    // Act / Assess
    expect(who('kafka-cluster:Connect', awsCluster)).toEqual(names);
    expect(who('kafka-cluster:WriteData', topic('logs'))).toEqual(['producer']);
    expect(who('kafka-cluster:WriteDataIdempotently', awsCluster)).toEqual(['producer']);
    expect(who('kafka-cluster:ReadData', topic('logs'))).toEqual(['detector']);
    expect(who('kafka-cluster:WriteData', topic('metrics'))).toEqual(['producer', 'detector']);
    expect(who('kafka-cluster:ReadData', topic('metrics'))).toEqual(['metrics-aggregator']);
    expect(who('kafka-cluster:AlterGroup', group('detector'))).toEqual(['detector']);
    expect(who('kafka-cluster:DescribeGroup', group('detector'))).toEqual(['detector', 'metrics-aggregator']);
    expect(who('kafka-cluster:AlterGroup', group('metrics-aggregator'))).toEqual(['metrics-aggregator']);
    expect(who('kafka-cluster:ReadData', topic('other'))).toEqual([]);
    expect(who('kafka-cluster:AlterCluster', awsCluster)).toEqual([]);
    expect(template.functions.every((each) => each.environment?.KAFKA_AUTH === 'iam')).toBe(true);
    const devActions = templates.dev.functions.flatMap((each) => each.role!.statements.flatMap((statement) => statement.Action));
    expect(devActions.filter((action) => action.startsWith('kafka-cluster:'))).toEqual([]);
  });

  it('with kafkaAuth scram-sha-512 (aws stage): both MSK triggers carry the AmazonMSK_ secret, and the roles may read that secret and no other', async () => {
    // Prepare
    const specs = await loadResourceSpecs();
    const names = ['producer', 'detector', 'metrics-aggregator'];
    const databaseSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:log-anomaly/aws/database-AbCdEf';
    const otherMskSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_other-XyZ123';
    const can = (name: string, action: string, resource: string) => allows(fn(scram, name).role!.statements, action, resource);
    const who = (action: string, resource: string) => names.filter((name) => can(name, action, resource));

    // Act
    const triggers = Object.fromEntries(
      scram.mappings.map((mapping) => [scram.functions.find((each) => each.logicalId === mapping.functionLogicalId)?.name, mapping.sourceAccessConfigurations]),
    );
    const secretStatements = scram.iamStatements.filter((statement) => statement.Action.some((action) => action.startsWith('secretsmanager:')));
    const kmsStatements = scram.iamStatements.filter((statement) => statement.Action.some((action) => action.startsWith('kms:')));
    const violations = describeViolations(checkTemplateAgainstSpec(scramRaw, specs));

    // Assess
    expect(violations).toBe('');
    expect(triggers).toEqual({
      'log-anomaly-detection-aws-detector': [{ Type: 'SASL_SCRAM_512_AUTH', URI: scramSecretArn }],
      'log-anomaly-detection-aws-metrics-aggregator': [{ Type: 'SASL_SCRAM_512_AUTH', URI: scramSecretArn }],
    });
    expect(templates.aws.mappings.map((mapping) => mapping.sourceAccessConfigurations)).toEqual([[], []]); // IAM: the role, no secret
    expect(who('secretsmanager:GetSecretValue', scramSecretArn)).toEqual(names);
    expect(who('secretsmanager:GetSecretValue', otherMskSecret)).toEqual([]);
    expect(who('secretsmanager:GetSecretValue', databaseSecret)).toEqual(['detector', 'metrics-aggregator']);
    expect(new Set(secretStatements.flatMap((statement) => statement.Action))).toEqual(new Set(['secretsmanager:GetSecretValue']));
    expect(new Set(secretStatements.flatMap((statement) => statement.Resource))).toEqual(new Set([scramSecretArn, 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:log-anomaly/aws/database-??????']));
    expect(kmsStatements.map((statement) => statement.Condition)).toEqual(names.map(() => ({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } })));
    expect(scram.iamStatements.flatMap((statement) => statement.Action).filter((action) => action.startsWith('kafka-cluster:'))).toEqual([]);
    for (const each of scram.functions) expect(each.environment).toMatchObject({ KAFKA_AUTH: 'scram-sha-512', KAFKA_SCRAM_SECRET_ID: scramSecretArn });
  });

  it('limits every role to logs, Kafka, S3, EC2 network interfaces and the database secret, with the VPC policy only on the aws stage', () => {
    // Prepare
    const template = templates.aws;

    // Act
    const actions = template.functions.flatMap((each) => each.role!.statements.flatMap((statement) => statement.Action));
    const kafkaResources = new Set(template.iamStatements.filter((statement) => statement.Action.some((action) => action.startsWith('kafka:'))).flatMap((statement) => statement.Resource));

    // Assess
    expect(actions.every((action) => /^(logs|s3|kafka|kafka-cluster|ec2|secretsmanager):[A-Za-z0-9]+$/.test(action))).toBe(true);
    expect(actions).not.toContain('s3:DeleteBucket');
    expect(template.iamStatements.every((statement) => statement.Effect === 'Allow')).toBe(true);
    expect(kafkaResources).toEqual(new Set([awsCluster]));
    expect(template.managedPolicyArns).toEqual(['arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']);
    expect(templates.dev.managedPolicyArns).toEqual([]);
  });

  it('wires the aws stage to the cluster, the VPC and the database secret read at run time, with no local endpoint and no secret in the template', () => {
    // Prepare
    const template = templates.aws;

    // Act
    const environments = Object.fromEntries(template.functions.map((each) => [each.name, each.environment]));

    // Assess
    expect(template.functions).toHaveLength(Object.keys(printed.functions).length);
    for (const each of template.functions) {
      expect(each.vpc).toEqual({ SubnetIds: ['subnet-0a1', 'subnet-0b2'], SecurityGroupIds: ['sg-0c3'] });
      expect(each.environment).toMatchObject({ MSK_CLUSTER_ARN: awsCluster, KAFKA_BOOTSTRAP_SERVERS: '', AWS_ENDPOINT_URL_S3: '', MODEL_BUCKET: 'acme-log-anomaly-models', POWERTOOLS_LOG_LEVEL: 'INFO' });
    }
    for (const name of ['detector', 'metrics-aggregator']) expect(environments[`log-anomaly-detection-aws-${name}`]).toMatchObject({ DATABASE_URL: '', DATABASE_SECRET_ID: 'log-anomaly/aws/database' });
    expect(Object.keys(environments['log-anomaly-detection-aws-producer']!)).not.toEqual(expect.arrayContaining(['DATABASE_URL']));
    expect(Object.keys(environments['log-anomaly-detection-aws-producer']!).filter((name) => name.startsWith('DATABASE'))).toEqual([]);
    expect(JSON.stringify(raw.aws)).not.toContain('{{resolve:');
    expect(template.mappings.map((mapping) => mapping.eventSourceArn)).toEqual(template.mappings.map(() => awsCluster));
  });

  it('packages the localstack stage for the compose network, leaving the msk triggers to the mapping service', () => {
    // Prepare
    const template = templates.localstack;

    // Act
    const environments = Object.fromEntries(template.functions.map((each) => [each.name, each.environment]));

    // Assess
    expect(localstackOutput).toMatchObject({ stage: 'localstack', checks: 'passed' });
    expect(localstackOutput.functions).toEqual(template.functions.map((each) => each.name).sort());
    expect(template.mappings).toEqual([]);
    expect(template.iamStatements.flatMap((statement) => statement.Action).filter((action) => /^(ec2|secretsmanager):/.test(action))).toEqual([]);
    expect(template.conditions.CreateBuckets).toEqual({ 'Fn::Equals': ['false', 'true'] }); // localstack/init makes them
    expect(template.buckets).toEqual([]);
    for (const env of Object.values(environments)) {
      expect(env).toMatchObject({ KAFKA_BOOTSTRAP_SERVERS: 'kafka:29092', AWS_ENDPOINT_URL_S3: 'http://localstack:4566', S3_FORCE_PATH_STYLE: 'true', MODEL_BUCKET: 'log-anomaly-models' });
    }
    for (const name of ['detector', 'metrics-aggregator']) {
      expect(environments[`log-anomaly-detection-localstack-${name}`]).toMatchObject({ DATABASE_URL: 'postgres://postgres:postgres@postgres:5432/log_anomaly', DATABASE_SECRET_ID: '' });
    }
    expect(template.functions.every((each) => each.vpc === null)).toBe(true);
  });

  it('gives the buckets the same settings in LocalStack (init hook files) as the template in public mode', async () => {
    // Prepare
    const template = templates.dev;
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
