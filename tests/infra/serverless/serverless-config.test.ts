import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceSandbox, describeRun, offlineEnv, runServerless, type ServiceSandbox } from './run-serverless.js';
import { zipEntryNames } from './zip-entries.js';
import { resolveTemplate } from '../../../infra/deploy/resolve-template.js';

const run = promisify(execFile);
const functionNames = ['producer', 'detector', 'metrics-aggregator'] as const;
/** The local MSK's cluster ARN, the serverless.yml default when neither a param nor MSK_CLUSTER_ARN is given. */
const localMskArn = 'arn:aws:kafka:us-east-1:000000000000:cluster/local-msk/6c6f6361-6c2d-6d73-6b2d-636c75737465-1';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

const actionsOf = (statement: Statement): string[] => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]);
const resourcesOf = (statement: Statement): unknown[] => (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]);

describe('serverless.yml under osls, offline', () => {
  let sandbox: ServiceSandbox;

  beforeAll(async () => {
    sandbox = await createServiceSandbox();
  });

  afterAll(async () => {
    await sandbox.remove();
  });

  it('prints the resolved configuration without bundling, with local defaults when nothing is set', async () => {
    // Prepare: no pipeline variable set, no network.
    const env = offlineEnv({});

    // Act
    const result = await runServerless(sandbox.dir, ['print', '--format', 'json'], env);

    // Assess
    expect(result.code, describeRun(result)).toBe(0);
    const config = JSON.parse(result.stdout) as Record<string, any>;
    expect(config.service).toBe('log-anomaly-detection');
    expect(config.useDotenv).toBe(true);
    expect(config.plugins).toEqual([
      './infra/serverless/bundle-plugin.js',
      './infra/deploy/msk-triggers-plugin.js',
      './infra/deploy/stage-settings-plugin.js',
      './infra/event-source-mapping/offline-plugin/plugin.js',
      'serverless-offline',
    ]);
    expect(config.provider).toMatchObject({ name: 'aws', runtime: 'nodejs22.x', stage: 'dev', region: 'us-east-1' });
    expect(config.provider.environment).toMatchObject({
      MSK_CLUSTER_ARN: localMskArn,
      MODEL_BUCKET: 'log-anomaly-models',
      KAFKA_TOPIC: 'logs',
      METRICS_TOPIC: 'metrics',
      KAFKA_BOOTSTRAP_SERVERS: '', // in AWS the brokers are looked up from the cluster ARN
      POWERTOOLS_LOG_LEVEL: 'INFO',
    });
    // Only the functions that use the database are told where it is.
    expect(config.functions.detector.environment).toEqual({ DATABASE_URL: '', DATABASE_SECRET_ID: '' });
    expect(config.functions.producer.environment).not.toHaveProperty('DATABASE_URL');
    expect(Object.keys(config.provider.environment)).not.toContain('AWS_REGION'); // reserved by Lambda
    expect(config.functions.producer.handler).toBe('functions/producer/handler.handler'); // print shows the source, unbundled
    expect(config.functions.producer.events ?? []).toEqual([]);
    expect(config.functions.detector.events).toEqual([
      { msk: { arn: localMskArn, topic: 'logs', batchSize: 2000, startingPosition: 'TRIM_HORIZON', consumerGroupId: 'log-anomaly-detection-dev-detector', saslScram512: null } },
    ]);
    expect(config.functions['metrics-aggregator'].events[0].msk).toMatchObject({ arn: localMskArn, topic: 'metrics', startingPosition: 'TRIM_HORIZON' });
    expect(config.functions['metrics-aggregator'].environment.LAG_CONSUMER_GROUPS).toBe('log-anomaly-detection-dev-detector');
  });

  it("turns the aggregator's dashboard publishing off with AGGREGATOR_DASHBOARD_BUCKET, which a .env file cannot refill", async () => {
    // Prepare: a service directory whose .env names a dashboard bucket (as npm run local:services writes one)
    const withDotenv = await createServiceSandbox();
    try {
      await writeFile(join(withDotenv.dir, '.env'), 'DASHBOARD_BUCKET=bucket-from-dotenv\n');
      const aggregatorBucket = async (values: Record<string, string>) => {
        const result = await runServerless(withDotenv.dir, ['print', '--format', 'json'], offlineEnv(values));
        expect(result.code, describeRun(result)).toBe(0);
        return (JSON.parse(result.stdout) as Record<string, any>).functions['metrics-aggregator'].environment.DASHBOARD_BUCKET;
      };

      // Act: "off" said with an empty DASHBOARD_BUCKET, then with AGGREGATOR_DASHBOARD_BUCKET (what the local stack does)
      const emptied = await aggregatorBucket({ DASHBOARD_BUCKET: '' });
      const off = await aggregatorBucket({ DASHBOARD_BUCKET: '', AGGREGATOR_DASHBOARD_BUCKET: '' });

      // Assess: osls's dotenv refills the empty variable; the aggregator's own one stays empty
      expect(emptied).toBe('bucket-from-dotenv');
      expect(off).toBe('');
    } finally {
      await withDotenv.remove();
    }
  });

  it('refuses to run a function whose TypeScript handler source does not exist, naming the file', async () => {
    // Prepare
    const broken = await createServiceSandbox((yaml) => yaml.replace('handler: functions/producer/handler.handler', 'handler: functions/producer/missing.handler'));

    try {
      // Act
      const result = await runServerless(broken.dir, ['invoke', 'local', '-f', 'producer', '--data', '{"count":1}'], offlineEnv({}));

      // Assess
      expect(result.code, describeRun(result)).toBe(1);
      expect(result.stdout + result.stderr).toContain('function "producer": handler source functions/producer/missing.ts not found');
    } finally {
      await broken.remove();
    }
  });

  describe('package', () => {
    const clusterArn = 'arn:aws:kafka:eu-west-1:123456789012:cluster/prod-logs/0b7e6c1a-1111-2222-3333-444455556666-2';
    const bucket = 'acme-log-anomaly-models';
    let outDir: string;
    let packaged: Awaited<ReturnType<typeof runServerless>>;

    beforeAll(async () => {
      outDir = await mkdtemp(join(tmpdir(), 'sls-package-'));
      packaged = await runServerless(
        sandbox.dir,
        ['package', '--package', outDir, '--stage', 'prod', '--region', 'eu-west-1'],
        offlineEnv({ MSK_CLUSTER_ARN: clusterArn, MODEL_BUCKET: bucket }),
        150_000,
      );
    }, 160_000);

    afterAll(async () => {
      await rm(outDir, { recursive: true, force: true });
    });

    it('packages each function as its bundle alone', async () => {
      // Prepare: packaging ran in beforeAll.
      expect(packaged.code, describeRun(packaged)).toBe(0);

      // Act
      const files = (await readdir(outDir)).sort();
      const entries = await Promise.all(functionNames.map(async (name) => zipEntryNames(await readFile(join(outDir, `${name}.zip`))).sort()));

      // Assess
      expect(files).toEqual(expect.arrayContaining(functionNames.map((name) => `${name}.zip`)));
      for (const [index, name] of functionNames.entries()) {
        expect(entries[index]).toEqual([`.build/${name}/handler.js`, `.build/${name}/handler.js.map`, `.build/${name}/package.json`]);
      }
    });

    it('compiles handlers, MSK triggers, environment and a least-privilege role per function into the template', async () => {
      // Prepare
      expect(packaged.code, describeRun(packaged)).toBe(0);

      // Act
      const template = JSON.parse(await readFile(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8')) as { Resources: Resources };
      const resources = Object.values(template.Resources);
      const lambdas = resources.filter((resource) => resource.Type === 'AWS::Lambda::Function').map((resource) => resource.Properties);
      const mappings = resources.filter((resource) => resource.Type === 'AWS::Lambda::EventSourceMapping').map((resource) => resource.Properties);
      // Each function's role as CloudFormation would create it (conditional policies resolved for this stage).
      const roleIds = lambdas.map((lambda) => lambda.Role['Fn::GetAtt'][0] as string);
      const resolved = resolveTemplate(template);
      const statements = roleIds
        .flatMap((id) => resolved.Resources[id]!.Properties as { Policies: Array<Record<string, any>> })
        .flatMap((properties) => properties.Policies)
        .flatMap((policy) => policy.PolicyDocument.Statement as Statement[])
        .filter((statement) => !actionsOf(statement).every((action) => action.startsWith('logs:')) && !actionsOf(statement).includes('secretsmanager:GetSecretValue'));

      // Assess: handlers point at the bundles, on nodejs22.x, with the configured settings, each with its own role.
      expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
      expect(new Set(roleIds).size).toBe(functionNames.length);
      expect(lambdas.map((lambda) => lambda.Handler).sort()).toEqual(functionNames.map((name) => `.build/${name}/handler.handler`).sort());
      for (const lambda of lambdas) {
        expect(lambda.Runtime).toBe('nodejs22.x');
        expect(lambda.Environment.Variables).toMatchObject({ MSK_CLUSTER_ARN: clusterArn, MODEL_BUCKET: bucket, KAFKA_TOPIC: 'logs', NODE_OPTIONS: '--enable-source-maps' });
        expect(Object.keys(lambda.Environment.Variables).filter((name) => /^AWS_(REGION|ACCESS_KEY_ID|SECRET_ACCESS_KEY)$/.test(name))).toEqual([]);
      }
      // Assess: one MSK trigger per consumer, from the oldest record, each with its own consumer group.
      expect(mappings.map((mapping) => [mapping.Topics, mapping.AmazonManagedKafkaEventSourceConfig.ConsumerGroupId]).sort()).toEqual([
        [['logs'], 'log-anomaly-detection-prod-detector'],
        [['metrics'], 'log-anomaly-detection-prod-metrics-aggregator'],
      ]);
      for (const mapping of mappings) {
        expect(mapping).toMatchObject({ EventSourceArn: clusterArn, StartingPosition: 'TRIM_HORIZON' });
        expect(mapping.BatchSize).toBeGreaterThan(0);
      }
      // Assess: S3 only on the model bucket and the dashboard's data/ objects; Kafka only on the cluster; EC2 ENI actions for the trigger.
      const byService = (prefix: string) => statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith(prefix)));
      const s3Actions = byService('s3:').flatMap(actionsOf);
      expect(new Set(s3Actions)).toEqual(new Set(['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:DeleteObject']));
      const dashboard = 'arn:aws:s3:::log-anomaly-dashboard';
      expect(byService('s3:').flatMap(resourcesOf).sort()).toEqual([`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/models/*`, dashboard, `${dashboard}/data/*`]);
      const dashboardWrites = statements.filter((statement) => resourcesOf(statement).includes(`${dashboard}/data/*`));
      expect(dashboardWrites.flatMap(actionsOf).sort()).toEqual(['s3:DeleteObject', 's3:PutObject']);
      expect(new Set(byService('kafka:').flatMap(actionsOf))).toEqual(new Set(['kafka:DescribeCluster', 'kafka:DescribeClusterV2', 'kafka:GetBootstrapBrokers']));
      expect(new Set(byService('kafka:').flatMap(resourcesOf))).toEqual(new Set([clusterArn]));
      expect(byService('ec2:').flatMap(actionsOf)).toEqual(expect.arrayContaining(['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface']));
      expect(statements.every((statement) => actionsOf(statement).every((action) => /^(s3|kafka|ec2):/.test(action)))).toBe(true);
    });

    it('leaves bundles that plain Node loads, without a TypeScript loader', async () => {
      // Prepare
      expect(packaged.code, describeRun(packaged)).toBe(0);
      const probe = "import(require('node:url').pathToFileURL(process.argv[1]).href).then((m) => console.log(typeof m.handler))";

      // Act
      const kinds = await Promise.all(
        functionNames.map(async (name) => {
          const { stdout } = await run(process.execPath, ['-e', probe, join(sandbox.dir, '.build', name, 'handler.js')], { env: { PATH: process.env.PATH ?? '' } });
          return stdout.trim();
        }),
      );

      // Assess
      expect(kinds).toEqual(['function', 'function', 'function']);
    });
  });
});
