import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../functions/shared/config/database-url.js';
import { repoRoot } from '../../infra/deploy/osls.js';
import { parseProducerLoopArgs } from '../../infra/deploy/producer-loop-cli.js';
import { defaultProducerRate } from '../../infra/local-stack/stack-options.js';
import { offlineEnv, runServerless, describeRun } from '../infra/serverless/run-serverless.js';
import { dockerComposeBinary, resolvedCompose, serviceEnv, type ComposeConfig, type ComposeService } from './compose-file.js';
import { checkEnvAgainstLoaders } from './env-reads.js';

const composeBinary = await dockerComposeBinary();
if (composeBinary === null) {
  console.warn('tests/deploy/docker-compose.test.ts skipped: docker-compose is not installed (apt-get install docker-compose; .ci/run installs it)');
}

/** The services that run the repository's code (infra/deploy/node.Dockerfile). */
const nodeServices = ['db-migrate', 'deploy-functions', 'event-source-mapping', 'producer'] as const;
const longRunning = ['kafka', 'postgres', 'localstack', 'event-source-mapping', 'producer'] as const;

const internalListener = (kafka: ComposeService): string => {
  const advertised = serviceEnv(kafka).KAFKA_ADVERTISED_LISTENERS ?? '';
  return /INTERNAL:\/\/([^,]+)/.exec(advertised)?.[1] ?? '';
};

describe.skipIf(composeBinary === null)('docker-compose.yml', () => {
  let compose: ComposeConfig;
  let services: ComposeConfig['services'];

  beforeAll(async () => {
    const resolved = await resolvedCompose();
    if (resolved.config === null) throw new Error(`docker-compose config failed (exit ${resolved.code}): ${resolved.stderr}`);
    compose = resolved.config;
    services = compose.services;
  });

  it('is a valid Compose file with Kafka 7.4.0, PostgreSQL 15, LocalStack 4.14.0 and the pipeline services', () => {
    // Prepare: resolved in beforeAll.

    // Act
    const images = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.image]));

    // Assess
    expect(Object.keys(services).sort()).toEqual(['db-migrate', 'deploy-functions', 'event-source-mapping', 'kafka', 'kafka-topics', 'localstack', 'postgres', 'producer']);
    expect(images).toMatchObject({ kafka: 'confluentinc/cp-kafka:7.4.0', 'kafka-topics': 'confluentinc/cp-kafka:7.4.0', postgres: 'postgres:15', localstack: 'localstack/localstack:4.14.0' });
    for (const name of nodeServices) expect(services[name]!.build).toMatchObject({ dockerfile: 'infra/deploy/node.Dockerfile' });
    expect(existsSync(join(repoRoot, 'infra/deploy/node.Dockerfile'))).toBe(true);
  });

  it('gives the long-running services health checks and resource limits, their data named volumes, and host ports on 127.0.0.1', () => {
    // Prepare
    const dataTargets: Record<string, string> = { kafka: '/var/lib/kafka/data', postgres: '/var/lib/postgresql/data', localstack: '/var/lib/localstack' };

    // Act
    const ports = Object.fromEntries(['kafka', 'postgres', 'localstack'].map((name) => [name, services[name]!.ports ?? []]));

    // Assess
    for (const name of ['kafka', 'postgres', 'localstack']) expect(services[name]!.healthcheck?.test.length, name).toBeGreaterThan(0);
    for (const name of longRunning) expect(services[name]!.deploy?.resources?.limits, name).toMatchObject({ cpus: expect.any(String), memory: expect.any(String) });
    for (const [name, target] of Object.entries(dataTargets)) {
      const volume = services[name]!.volumes?.find((each) => each.target === target);
      expect(volume, `${name} ${target}`).toMatchObject({ type: 'volume' });
      expect(Object.keys(compose.volumes)).toContain(volume!.source);
    }
    expect(ports).toEqual({
      kafka: [expect.objectContaining({ host_ip: '127.0.0.1', published: 9092, target: 9092 })],
      postgres: [expect.objectContaining({ host_ip: '127.0.0.1', published: 5432, target: 5432 })],
      localstack: [expect.objectContaining({ host_ip: '127.0.0.1', published: 4566, target: 4566 })],
    });
  });

  it('honours KAFKA_NUM_PARTITIONS and the host-port variables', async () => {
    // Prepare
    const variables = { KAFKA_NUM_PARTITIONS: '6', KAFKA_HOST_PORT: '19092', POSTGRES_HOST_PORT: '15432' };

    // Act
    const resolved = await resolvedCompose(variables);

    // Assess
    const changed = resolved.config!.services;
    expect(serviceEnv(changed.kafka!).KAFKA_NUM_PARTITIONS).toBe('6');
    expect(serviceEnv(changed['kafka-topics']!).PARTITIONS).toBe('6');
    expect(changed['kafka-topics']!.command!.join(' ')).toMatch(/--partitions "\$\$?PARTITIONS"/); // 1.x prints the escaped $$
    expect(serviceEnv(changed.kafka!).KAFKA_ADVERTISED_LISTENERS).toContain('EXTERNAL://localhost:19092');
    expect(changed.kafka!.ports![0]).toMatchObject({ published: 19092, target: 9092 });
    expect(changed.postgres!.ports![0]).toMatchObject({ published: 15432, target: 5432 });
  });

  it('declares every Kafka listener it advertises, with the compose network on INTERNAL', () => {
    // Prepare
    const env = serviceEnv(services.kafka!);

    // Act
    const protocols = new Set(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP!.split(',').map((entry) => entry.split(':')[0]));
    const advertised = env.KAFKA_ADVERTISED_LISTENERS!.split(',').map((entry) => entry.split('://')[0]);
    const listeners = env.KAFKA_LISTENERS!.split(',').map((entry) => entry.split('://')[0]);

    // Assess
    for (const name of [...advertised, ...listeners, env.KAFKA_INTER_BROKER_LISTENER_NAME, env.KAFKA_CONTROLLER_LISTENER_NAMES]) expect(protocols).toContain(name);
    expect(internalListener(services.kafka!)).toBe('kafka:29092');
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("sets only variables the project's code reads, with values its loaders accept and that name the compose services", () => {
    // Prepare
    const postgres = serviceEnv(services.postgres!);

    // Act
    const reports = Object.fromEntries(nodeServices.map((name) => [name, checkEnvAgainstLoaders(serviceEnv(services[name]!))]));
    const database = parseDatabaseUrl(serviceEnv(services['db-migrate']!).DATABASE_URL!);

    // Assess
    for (const name of nodeServices) expect(reports[name]!.unread, name).toEqual([]);
    expect(reports['db-migrate']!.problems.database).toBeUndefined();
    expect(reports['db-migrate']!.problems.databaseConnection).toBeUndefined();
    expect(reports['event-source-mapping']!.problems.kafka).toBeUndefined();
    expect(database).toEqual({ host: 'postgres', port: 5432, database: postgres.POSTGRES_DB, user: postgres.POSTGRES_USER, password: postgres.POSTGRES_PASSWORD, ssl: undefined });
    expect(serviceEnv(services['event-source-mapping']!).KAFKA_BOOTSTRAP_SERVERS).toBe(internalListener(services.kafka!));
  });

  it('runs the deploy, then the event-source mapping on the configuration the deploy wrote', () => {
    // Prepare
    const deploy = services['deploy-functions']!;
    const mapping = services['event-source-mapping']!;

    // Act
    const printConfig = deploy.command![deploy.command!.indexOf('--print-config') + 1]!;
    const mappingConfig = mapping.command![mapping.command!.indexOf('--config') + 1]!;
    const volumeAt = (service: ComposeService, file: string) => service.volumes?.find((volume) => file.startsWith(`${volume.target}/`))?.source;

    // Assess
    expect(deploy.command!.slice(0, 3)).toEqual(['npx', 'tsx', 'infra/deploy/deploy-localstack.ts']);
    expect(existsSync(join(repoRoot, deploy.command![2]!))).toBe(true);
    expect(existsSync(join(repoRoot, services['db-migrate']!.command![2]!))).toBe(true);
    expect(deploy.command).toContain('http://localstack:4566');
    expect(mapping.entrypoint).toEqual(['npx', 'tsx', 'infra/event-source-mapping/cli.ts']);
    expect(mapping.command).toEqual(['--config', mappingConfig, '--invoke', 'lambda', '--lambda-endpoint', 'http://localstack:4566']);
    expect(mappingConfig).toBe(printConfig);
    expect(volumeAt(mapping, mappingConfig)).toBe(volumeAt(deploy, printConfig));
    expect(volumeAt(deploy, printConfig)).toBeDefined();
    expect(mapping.depends_on).toMatchObject({ 'deploy-functions': { condition: 'service_completed_successfully' }, kafka: { condition: 'service_healthy' } });
    expect(deploy.depends_on).toMatchObject({
      localstack: { condition: 'service_healthy' },
      'db-migrate': { condition: 'service_completed_successfully' },
      'kafka-topics': { condition: 'service_completed_successfully' },
    });
  });

  it('runs one producer at the seed rate, invoking the producer function the deploy made, once the deploy is done', () => {
    // Prepare
    const producer = services.producer!;
    const mapping = services['event-source-mapping']!;

    // Act
    const settings = parseProducerLoopArgs(producer.command!);

    // Assess
    expect(producer.entrypoint).toEqual(['npx', 'tsx', 'infra/deploy/producer-loop-cli.ts']);
    expect(existsSync(join(repoRoot, producer.entrypoint![2]!))).toBe(true);
    expect(settings).toMatchObject({
      endpoint: mapping.command![mapping.command!.indexOf('--lambda-endpoint') + 1],
      functionName: 'log-anomaly-detection-localstack-producer', // <service>-<stage>-producer, as deploy:localstack names it
      rate: defaultProducerRate,
    });
    expect(producer.depends_on).toMatchObject({ 'deploy-functions': { condition: 'service_completed_successfully' } });
    expect(producer.restart).toBe('unless-stopped');
  });

  it('honours PRODUCER_RATE', async () => {
    // Act
    const resolved = await resolvedCompose({ PRODUCER_RATE: '25' });

    // Assess
    expect(parseProducerLoopArgs(resolved.config!.services.producer!.command!)).toMatchObject({ rate: 25 });
  });

  it('starts the mapping CLI that exists in the repository', () => {
    // Prepare, Act
    const entry = services['event-source-mapping']!.entrypoint![2]!;

    // Assess
    expect(existsSync(join(repoRoot, entry))).toBe(true);
  });

  it('matches what the functions deployed with --stage localstack are told, and what the init hook needs', async () => {
    // Prepare
    const printed = await runServerless(repoRoot, ['print', '--stage', 'localstack', '--format', 'json'], offlineEnv({}));
    expect(printed.code, describeRun(printed)).toBe(0);
    const config = JSON.parse(printed.stdout) as { provider: { environment: Record<string, string>; deploymentBucket: unknown }; functions: Record<string, { environment?: Record<string, string> }> };
    const localstack = serviceEnv(services.localstack!);

    // Act: each function's environment is the provider's with its own on top.
    const functionEnv = (name: string) => Object.fromEntries(Object.entries({ ...config.provider.environment, ...config.functions[name]!.environment }).filter(([, value]) => value !== ''));
    const lambdaEnv = functionEnv('detector');
    const reports = Object.keys(config.functions).map((name) => {
      const { problems, unread } = checkEnvAgainstLoaders(functionEnv(name));
      // The producer uses no database: the operator commands' connection loader has nothing to read there.
      if (name === 'producer') delete problems.databaseConnection;
      return { problems, unread };
    });
    const report = { problems: Object.assign({}, ...reports.map((each) => each.problems)), unread: reports.flatMap((each) => each.unread) };
    const s3Endpoint = new URL(lambdaEnv.AWS_ENDPOINT_URL_S3!);
    const dashboardBuckets = Object.values(config.functions).map((fn) => fn.environment?.DASHBOARD_BUCKET).filter((name) => name !== undefined);
    const mounts = Object.fromEntries((services.localstack!.volumes ?? []).map((volume) => [volume.target, volume.source]));

    // Assess: the functions reach the compose services by their names on the network LocalStack puts them on.
    expect(report.problems).toEqual({});
    expect(report.unread).toEqual([]);
    expect(lambdaEnv.KAFKA_BOOTSTRAP_SERVERS).toBe(internalListener(services.kafka!));
    expect(lambdaEnv.DATABASE_URL).toBe(serviceEnv(services['db-migrate']!).DATABASE_URL);
    expect([s3Endpoint.hostname, s3Endpoint.port]).toEqual(['localstack', String(services.localstack!.ports![0]!.target)]);
    expect(localstack.LAMBDA_DOCKER_NETWORK).toBe(compose.networks.default!.name);
    // Assess: the init hook makes the buckets and the deployment bucket the stage uses.
    expect(localstack.MODEL_BUCKET).toBe(lambdaEnv.MODEL_BUCKET);
    expect(dashboardBuckets).toEqual(dashboardBuckets.map(() => localstack.DASHBOARD_BUCKET));
    const deploymentBucket = config.provider.deploymentBucket;
    expect(typeof deploymentBucket === 'string' ? deploymentBucket : (deploymentBucket as { name?: string })?.name).toBe(localstack.DEPLOYMENT_BUCKET);
    expect(services.localstack!.networks!.default!.aliases).toContain(`${localstack.DEPLOYMENT_BUCKET}.localstack`);
    expect(mounts['/etc/localstack/init/ready.d']).toBe(join(repoRoot, 'localstack/init/ready.d'));
    expect(mounts[localstack.BUCKET_SETTINGS_DIR!]).toBe(join(repoRoot, 'localstack/buckets'));
  });
});
