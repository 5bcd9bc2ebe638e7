import {
  BadRequestException,
  DescribeClusterCommand,
  DescribeClusterV2Command,
  GetBootstrapBrokersCommand,
  KafkaClient,
  ListClustersCommand,
  ListClustersV2Command,
  NotFoundException,
  paginateListClustersV2,
} from '@aws-sdk/client-kafka';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient, startTestBroker, type TestBroker } from '../../../helpers/broker.js';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from '../../../helpers/cli-process.js';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('MSK control plane through @aws-sdk/client-kafka', () => {
  let broker: TestBroker;
  let msk: KafkaClient;

  beforeAll(async () => {
    broker = await startTestBroker({ controlPlanePort: 0, clusterName: 'local-msk' });
    msk = new KafkaClient({ endpoint: broker.controlPlaneUrl!, region: 'us-east-1', credentials, maxAttempts: 1 });
  });

  afterAll(async () => {
    msk?.destroy();
    await broker?.close();
  });

  it('ListClustersV2 finds the local cluster as an active, provisioned single-broker cluster', async () => {
    // Act
    const { ClusterInfoList, NextToken } = await msk.send(new ListClustersV2Command({}));

    // Assess
    expect(NextToken).toBeUndefined();
    expect(ClusterInfoList).toHaveLength(1);
    const cluster = ClusterInfoList![0]!;
    expect(cluster).toMatchObject({
      ClusterArn: broker.clusterArn,
      ClusterName: 'local-msk',
      ClusterType: 'PROVISIONED',
      State: 'ACTIVE',
      Provisioned: { NumberOfBrokerNodes: 1, CurrentBrokerSoftwareInfo: { KafkaVersion: '3.6.0' } },
    });
    expect(cluster.CreationTime).toBeInstanceOf(Date);
    expect(Number.isNaN(cluster.CreationTime!.getTime())).toBe(false);
  });

  it('ListClustersV2 applies the name-prefix and type filters', async () => {
    // Act
    const byPrefix = await msk.send(new ListClustersV2Command({ ClusterNameFilter: 'local' }));
    const otherName = await msk.send(new ListClustersV2Command({ ClusterNameFilter: 'orders-prod' }));
    const provisioned = await msk.send(new ListClustersV2Command({ ClusterTypeFilter: 'PROVISIONED' }));
    const serverless = await msk.send(new ListClustersV2Command({ ClusterTypeFilter: 'SERVERLESS' }));

    // Assess
    expect(byPrefix.ClusterInfoList?.map((c) => c.ClusterArn)).toEqual([broker.clusterArn]);
    expect(otherName.ClusterInfoList).toEqual([]);
    expect(provisioned.ClusterInfoList).toHaveLength(1);
    expect(serverless.ClusterInfoList).toEqual([]);
  });

  it('the SDK paginator walks the list to its end', async () => {
    // Act
    const arns: string[] = [];
    for await (const page of paginateListClustersV2({ client: msk, pageSize: 1 }, {})) {
      for (const cluster of page.ClusterInfoList ?? []) arns.push(cluster.ClusterArn!);
    }

    // Assess
    expect(arns).toEqual([broker.clusterArn]);
  });

  it('DescribeClusterV2 and DescribeCluster describe the cluster by ARN', async () => {
    // Act
    const v2 = await msk.send(new DescribeClusterV2Command({ ClusterArn: broker.clusterArn }));
    const v1 = await msk.send(new DescribeClusterCommand({ ClusterArn: broker.clusterArn }));

    // Assess
    expect(v2.ClusterInfo).toMatchObject({ ClusterArn: broker.clusterArn, ClusterType: 'PROVISIONED', State: 'ACTIVE' });
    expect(v2.ClusterInfo?.Provisioned?.EncryptionInfo?.EncryptionInTransit?.ClientBroker).toBe('PLAINTEXT');
    expect(v1.ClusterInfo).toMatchObject({
      ClusterArn: broker.clusterArn,
      ClusterName: 'local-msk',
      State: 'ACTIVE',
      NumberOfBrokerNodes: 1,
      CurrentBrokerSoftwareInfo: { KafkaVersion: '3.6.0' },
    });
  });

  it('ListClusters (v1) lists the cluster', async () => {
    // Act
    const { ClusterInfoList } = await msk.send(new ListClustersCommand({ ClusterNameFilter: 'local-msk' }));

    // Assess
    expect(ClusterInfoList?.map((c) => c.ClusterArn)).toEqual([broker.clusterArn]);
  });

  it('GetBootstrapBrokers returns the plaintext bootstrap list and nothing else', async () => {
    // Act
    const brokers = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: broker.clusterArn }));

    // Assess
    expect(brokers.BootstrapBrokerString).toBe(broker.bootstrap);
    expect(brokers.BootstrapBrokerStringTls).toBeUndefined();
    expect(brokers.BootstrapBrokerStringSaslIam).toBeUndefined();
    expect(brokers.BootstrapBrokerStringSaslScram).toBeUndefined();
  });

  it('a client given only the cluster ARN finds the brokers and talks Kafka to them, as on AWS', async () => {
    // Prepare
    const { BootstrapBrokerString } = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: broker.clusterArn }));
    const admin = kafkaClient(broker, { brokers: BootstrapBrokerString!.split(',') }).admin();
    await admin.connect();

    try {
      // Act
      await admin.createTopics({ topics: [{ topic: 'found-through-msk', numPartitions: 1 }] });
      const topics = await admin.listTopics();

      // Assess
      expect(topics).toContain('found-through-msk');
    } finally {
      await admin.disconnect();
    }
  });

  it('an unknown cluster ARN is a NotFoundException', async () => {
    // Prepare
    const unknownArn = 'arn:aws:kafka:us-east-1:123456789012:cluster/orders/0b7a5b3c-1111-2222-3333-444455556666-2';

    // Act
    const failures = await Promise.all([
      msk.send(new DescribeClusterV2Command({ ClusterArn: unknownArn })).catch((error: unknown) => error),
      msk.send(new GetBootstrapBrokersCommand({ ClusterArn: unknownArn })).catch((error: unknown) => error),
    ]);

    // Assess
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(NotFoundException);
      expect((failure as NotFoundException).$metadata.httpStatusCode).toBe(404);
      expect((failure as NotFoundException).message).toContain('does not exist');
      expect((failure as NotFoundException).InvalidParameter).toBe('clusterArn');
    }
  });

  it('a value that is no cluster ARN, or a page size out of range, is a BadRequestException', async () => {
    // Act
    const notAnArn = await msk.send(new DescribeClusterV2Command({ ClusterArn: 'my-cluster' })).catch((error: unknown) => error);
    const pageTooBig = await msk.send(new ListClustersV2Command({ MaxResults: 101 })).catch((error: unknown) => error);

    // Assess
    expect(notAnArn).toBeInstanceOf(BadRequestException);
    expect((notAnArn as BadRequestException).InvalidParameter).toBe('clusterArn');
    expect(pageTooBig).toBeInstanceOf(BadRequestException);
    expect((pageTooBig as BadRequestException).InvalidParameter).toBe('maxResults');
  });

  it('the SDK finds the endpoint in AWS_ENDPOINT_URL_KAFKA when no endpoint is configured', async () => {
    // Prepare
    const previous = process.env.AWS_ENDPOINT_URL_KAFKA;
    process.env.AWS_ENDPOINT_URL_KAFKA = broker.controlPlaneUrl!;
    const fromEnvironment = new KafkaClient({ region: 'us-east-1', credentials, maxAttempts: 1 });

    try {
      // Act
      const brokers = await fromEnvironment.send(new GetBootstrapBrokersCommand({ ClusterArn: broker.clusterArn }));

      // Assess
      expect(brokers.BootstrapBrokerString).toBe(broker.bootstrap);
    } finally {
      fromEnvironment.destroy();
      if (previous === undefined) delete process.env.AWS_ENDPOINT_URL_KAFKA;
      else process.env.AWS_ENDPOINT_URL_KAFKA = previous;
    }
  });
});

describe('MSK control plane of a local MSK process with SASL on', () => {
  const started: ReadyBroker[] = [];

  afterAll(async () => {
    for (const each of started) each.child.kill('SIGTERM');
    await Promise.all(started.map((each) => waitForExit(each.child)));
  });

  /** A local MSK process with its control plane and a client for it. */
  async function start(auth: 'optional' | 'required', users: string | null): Promise<{ broker: ReadyBroker; msk: KafkaClient }> {
    const broker = await startLocalMskProcess(
      ['--port', '0', '--control-plane-port', '0', '--auth', auth, '--region', 'eu-west-1'],
      users === null ? {} : { LOCAL_MSK_SASL_USERS: users },
    );
    started.push(broker);
    return { broker, msk: new KafkaClient({ endpoint: broker.controlPlaneUrl!, region: 'eu-west-1', credentials, maxAttempts: 1 }) };
  }

  it('with --auth required and SCRAM users: GetBootstrapBrokers returns the SASL/SCRAM and SASL/IAM lists and no unauthenticated one', async () => {
    // Prepare
    const { broker, msk } = await start('required', 'app:control-plane-pw');

    try {
      // Act
      const brokers = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: broker.clusterArn }));
      const { ClusterInfo } = await msk.send(new DescribeClusterV2Command({ ClusterArn: broker.clusterArn }));

      // Assess
      expect(brokers.BootstrapBrokerStringSaslScram).toBe(broker.bootstrap);
      expect(brokers.BootstrapBrokerStringSaslIam).toBe(broker.bootstrap);
      expect(brokers.BootstrapBrokerString).toBeUndefined();
      expect(brokers.BootstrapBrokerStringTls).toBeUndefined();
      expect(ClusterInfo?.Provisioned?.ClientAuthentication).toMatchObject({
        Unauthenticated: { Enabled: false },
        Sasl: { Iam: { Enabled: true }, Scram: { Enabled: true } },
      });
    } finally {
      msk.destroy();
    }
  });

  it('with --auth optional and no users: the unauthenticated list and the SASL/IAM one (OAUTHBEARER), no SASL/SCRAM', async () => {
    // Prepare
    const { broker, msk } = await start('optional', null);

    try {
      // Act
      const brokers = await msk.send(new GetBootstrapBrokersCommand({ ClusterArn: broker.clusterArn }));

      // Assess
      expect(brokers.BootstrapBrokerString).toBe(broker.bootstrap);
      expect(brokers.BootstrapBrokerStringSaslIam).toBe(broker.bootstrap);
      expect(brokers.BootstrapBrokerStringSaslScram).toBeUndefined();
    } finally {
      msk.destroy();
    }
  });
});
