import { afterEach, describe, expect, it } from 'vitest';
import { pickFreePort } from '../../../infra/local-services/ports.js';
import { createServiceSandbox, describeRun, offlineEnv, runServerless, type ServiceSandbox } from '../serverless/run-serverless.js';

/** `serverless offline start` refuses to start when a Kafka trigger cannot run, naming the cause. */
describe('offline event-source mapping plugin: start-up errors', () => {
  let sandbox: ServiceSandbox | undefined;

  afterEach(async () => {
    await sandbox?.remove();
    sandbox = undefined;
  });

  it('stops start-up on an invalid msk event, naming the function and the field', async () => {
    // Prepare: a consumer group id osls's schema lets through ('@') but Kafka mappings refuse
    sandbox = await createServiceSandbox((yaml) => yaml.replace('consumerGroupId: ${self:custom.detectorConsumerGroup}', "consumerGroupId: 'detector@group'"));
    const lambdaPort = await pickFreePort('127.0.0.1');

    // Act
    const run = await runServerless(sandbox.dir, ['offline', 'start', '--lambdaPort', String(lambdaPort), '--host', '127.0.0.1', '--noSponsor'], offlineEnv({}), 60_000);

    // Assess
    expect(run.code, describeRun(run)).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Kafka event-source mappings: function "detector", event-source mapping field "msk\.consumerGroupId"/);
  });

  it('stops start-up when the brokers cannot be found: no KAFKA_BOOTSTRAP_SERVERS and an unreachable MSK API', async () => {
    // Prepare: offlineEnv points every AWS endpoint at a closed port
    sandbox = await createServiceSandbox();
    const lambdaPort = await pickFreePort('127.0.0.1');

    // Act
    const run = await runServerless(sandbox.dir, ['offline', 'start', '--lambdaPort', String(lambdaPort), '--host', '127.0.0.1', '--noSponsor'], offlineEnv({}), 60_000);

    // Assess
    expect(run.code, describeRun(run)).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(/Kafka event-source mappings: GetBootstrapBrokers for MSK cluster arn:aws:kafka:/);
  });
});
