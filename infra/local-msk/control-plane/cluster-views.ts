import type { LocalCluster } from './control-plane-server.js';

/**
 * JSON views of the local cluster in the MSK REST API's wire shapes (lowerCamelCase keys,
 * timestamps as ISO-8601 strings), as @aws-sdk/client-kafka deserializes them.
 * Only what a single node with one plaintext listener has is described: no TLS, no public access.
 */

/** MSK's cluster version string (changes on every cluster update on AWS; fixed here). */
const currentVersion = 'K1LOCALMSK';

function brokerNodeGroupInfo(): Record<string, unknown> {
  return {
    brokerAZDistribution: 'DEFAULT',
    clientSubnets: [],
    instanceType: 'kafka.local',
    securityGroups: [],
    zoneIds: [],
  };
}

function provisionedDetails(cluster: LocalCluster): Record<string, unknown> {
  return {
    brokerNodeGroupInfo: brokerNodeGroupInfo(),
    numberOfBrokerNodes: cluster.numberOfBrokerNodes,
    currentBrokerSoftwareInfo: { kafkaVersion: cluster.kafkaVersion },
    clientAuthentication: {
      unauthenticated: { enabled: cluster.clientAuthentication.unauthenticated },
      sasl: { iam: { enabled: cluster.clientAuthentication.saslIam }, scram: { enabled: cluster.clientAuthentication.saslScram } },
      tls: { enabled: false, certificateAuthorityArnList: [] },
    },
    encryptionInfo: { encryptionInTransit: { clientBroker: 'PLAINTEXT', inCluster: false } },
    enhancedMonitoring: 'DEFAULT',
    storageMode: 'LOCAL',
  };
}

/** The `Cluster` shape of the v2 API (ListClustersV2, DescribeClusterV2). */
export function clusterV2(cluster: LocalCluster): Record<string, unknown> {
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    clusterType: 'PROVISIONED',
    creationTime: cluster.creationTime,
    currentVersion,
    state: 'ACTIVE',
    tags: {},
    provisioned: provisionedDetails(cluster),
  };
}

/** The `ClusterInfo` shape of the v1 API (ListClusters, DescribeCluster). */
export function clusterInfoV1(cluster: LocalCluster): Record<string, unknown> {
  return {
    clusterArn: cluster.clusterArn,
    clusterName: cluster.clusterName,
    creationTime: cluster.creationTime,
    currentVersion,
    state: 'ACTIVE',
    tags: {},
    ...provisionedDetails(cluster),
  };
}

/**
 * GetBootstrapBrokers: one list per client authentication the listener offers, under the field
 * MSK uses for it (bootstrapBrokerString for unauthenticated access, bootstrapBrokerStringSaslScram,
 * bootstrapBrokerStringSaslIam), so a client picks the list that matches its KAFKA_AUTH as on AWS.
 * They all name the same plaintext listener: the local MSK has no TLS (MSK serves SASL/SCRAM on
 * 9096 and SASL/IAM on 9098, both over TLS), so clients set KAFKA_SSL=false. No TLS or public lists.
 */
export function bootstrapBrokers(cluster: LocalCluster): Record<string, unknown> {
  const { unauthenticated, saslScram, saslIam } = cluster.clientAuthentication;
  return {
    ...(unauthenticated ? { bootstrapBrokerString: cluster.bootstrapBrokers } : {}),
    ...(saslScram ? { bootstrapBrokerStringSaslScram: cluster.bootstrapBrokers } : {}),
    ...(saslIam ? { bootstrapBrokerStringSaslIam: cluster.bootstrapBrokers } : {}),
  };
}
