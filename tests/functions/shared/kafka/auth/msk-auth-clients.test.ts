import { createServer, type Server } from 'node:http';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConsumerLag } from '../../../../../functions/metrics-aggregator/lag/read-consumer-lag.js';
import { loadKafkaConfig } from '../../../../../functions/shared/config/kafka-config.js';
import type { KafkaSaslDependencies } from '../../../../../functions/shared/kafka/auth/kafka-sasl.js';
import { forgetScramSecrets, scramSecretsManagerSource } from '../../../../../functions/shared/kafka/auth/scram-secret.js';
import { disconnectKafkaClients, getKafka, getProducer } from '../../../../../functions/shared/kafka/client/kafka-client.js';
import { MetricsEmitter } from '../../../../../functions/shared/metrics/metrics-emitter.js';
import { kafkaForMapping } from '../../../../../infra/event-source-mapping/offline-plugin/kafka-for-mapping.js';
import type { MappingDefinition } from '../../../../../infra/event-source-mapping/mapping-definition.js';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from '../../../../helpers/cli-process.js';

const secretId = 'AmazonMSK_log-anomaly';
const password = 'scram-pa55-never-logged';

/**
 * The producer, metrics emitter, lag reader and mapping client paths against a real local MSK
 * process with --auth required: SCRAM with credentials from a Secrets Manager secret (a small
 * HTTP server speaks GetSecretValue's JSON protocol to the real SDK client, as Secrets Manager
 * cannot run here), and IAM with a token from AWS's signer (signing is local).
 */
describe('the functions authenticate to MSK', () => {
  let broker: ReadyBroker;
  let server: Server;
  let secretsClient: SecretsManagerClient;
  let secretReads = 0;

  beforeAll(async () => {
    broker = await startLocalMskProcess(['--port', '0', '--no-control-plane', '--auth', 'required', '--region', 'eu-west-1'], {
      LOCAL_MSK_SASL_USERS: `pipeline:${password}`,
    });
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        secretReads++;
        response
          .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ Name: secretId, SecretString: JSON.stringify({ username: 'pipeline', password }) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    secretsClient = new SecretsManagerClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  });

  afterEach(async () => {
    await disconnectKafkaClients();
    forgetScramSecrets();
  });

  afterAll(async () => {
    secretsClient?.destroy();
    await new Promise((resolve) => server?.close(resolve));
    broker?.child.kill('SIGTERM');
    if (broker) await waitForExit(broker.child);
  });

  const modes: Array<[string, Record<string, string>, () => KafkaSaslDependencies]> = [
    ['SCRAM-SHA-512 from the AmazonMSK_ secret', { KAFKA_AUTH: 'scram-sha-512', KAFKA_SCRAM_SECRET_ID: secretId }, () => ({ secretSource: scramSecretsManagerSource(secretsClient) })],
    [
      'IAM (OAUTHBEARER, MSK IAM signer)',
      { KAFKA_AUTH: 'iam', AWS_REGION: 'eu-west-1' },
      () => ({ iamCredentials: async () => ({ accessKeyId: 'ASIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret', sessionToken: 'session' }) }),
    ],
  ];

  function configFor(auth: Record<string, string>, topic: string) {
    // KAFKA_SSL=false: the local MSK listens without TLS; on AWS the SASL listeners are TLS and it defaults to true.
    return loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKA_SSL: 'false', KAFKA_LOG_LEVEL: 'nothing', KAFKA_TOPIC: topic, ...auth });
  }

  it.each(modes)('with %s: the producer and metrics emitter write, and the lag reader reads', async (_name, auth, dependencies) => {
    // Prepare
    const config = configFor(auth, `auth-logs-${auth.KAFKA_AUTH}`);
    const options = { config, ...dependencies() };

    // Act
    const producer = await getProducer(options);
    const [written] = await producer.send({ topic: config.logsTopic, messages: [{ key: 'svc', value: '{"level":"INFO"}' }] });
    const emitter = new MetricsEmitter({ producer, topic: config.metricsTopic, componentType: 'producer', componentId: 'auth-test', experimentId: null });
    emitter.recordMetric('records.sent', 1);
    const metric = await emitter.flush();
    const admin = (await getKafka(options)).admin();
    await admin.connect();
    const lag = await readConsumerLag(admin, { topics: [config.logsTopic], groups: null, maxGroups: 10 }).finally(() => admin.disconnect());

    // Assess
    expect(written?.errorCode).toBe(0);
    expect(metric).not.toBeNull();
    expect(lag.missingTopics).toEqual([]);
  });

  it.each(modes)('with %s: the event-source mapping client connects', async (_name, auth, dependencies) => {
    // Prepare
    const definition = { eventSource: 'AmazonMSK', eventSourceArn: undefined } as unknown as MappingDefinition;
    const env = { KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKA_SSL: 'false', KAFKA_LOG_LEVEL: 'nothing', ...auth };

    // Act
    const cluster = await kafkaForMapping(definition, env, new Map(), dependencies());
    const admin = cluster.kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics().finally(() => admin.disconnect());

    // Assess
    expect(Array.isArray(topics)).toBe(true);
  });

  it('reads the SCRAM secret once per container', async () => {
    // Prepare
    const config = configFor(modes[0]![1], 'auth-once');
    const options = { config, ...modes[0]![2]() };
    const before = secretReads;

    // Act
    await getProducer(options);
    await disconnectKafkaClients();
    await getProducer(options);

    // Assess
    expect(secretReads - before).toBe(1);
  });

  it('a client without KAFKA_AUTH is refused by the broker', async () => {
    // Prepare
    const config = loadKafkaConfig({ KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap, KAFKA_LOG_LEVEL: 'nothing', KAFKA_CONNECTION_TIMEOUT_MS: '1000' });

    // Act (kafkajs's connect only asks ApiVersions, which a SASL listener answers; the send is refused)
    const producing = getProducer({ config }).then((producer) => producer.send({ topic: config.logsTopic, messages: [{ value: 'x' }] }));

    // Assess
    await expect(producing).rejects.toThrow();
  });
});
