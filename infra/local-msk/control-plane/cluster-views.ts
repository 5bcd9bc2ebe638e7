import type { LocalCluster } from './control-plane-server.js';

/**
 * JSON views of the local cluster in the MSK REST API's wire shapes (lowerCamelCase keys,
 * timestamps as ISO-8601 strings), as @aws-sdk/client-kafka deserializes them.
 * Only what a single plaintext, unauthenticated node has is described.
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
      unauthenticated: { enabled: true },
      sasl: { iam: { enabled: false }, scram: { enabled: false } },
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

/** GetBootstrapBrokers: only the plaintext list exists (no TLS, SASL or public listeners). */
export function bootstrapBrokers(cluster: LocalCluster): Record<string, unknown> {
  return { bootstrapBrokerString: cluster.bootstrapBrokers };
}
