
import { BrokerAuth } from './auth/broker-auth.js';
import { ApiRegistry } from './broker/registry.js';
import type { BrokerContext } from './broker/context.js';
import { allHandlers } from './broker/handlers/index.js';
import { KafkaServer } from './broker/server.js';
import { systemClock, type Clock } from './clock.js';
import { defaultBrokerConfig, type BrokerConfig } from './config.js';
import { startControlPlane, type RunningControlPlane } from './control-plane/control-plane-server.js';
import { GroupCoordinator } from './groups/group-coordinator.js';
import { createConsoleLogger, type Logger } from './logger.js';
import { clampCommittedOffsets } from './groups/clamp-committed-offsets.js';
import { restoreProducerState } from './producers/restore-producer-state.js';
import { MemoryStorage } from './storage/memory/memory-storage.js';
import { openFileStorage } from './storage/file/file-storage.js';
import type { Storage } from './storage/storage.js';
import { TopicManager } from './topics/topic-manager.js';

export interface RunningBroker {
  /** Port the Kafka listener bound. */
  readonly port: number;
  /** `host:port` to give Kafka clients. */
  readonly bootstrap: string;
  /** MSK control-plane endpoint, or null when disabled. */
  readonly controlPlaneUrl: string | null;
  /** ARN of the registered local cluster. */
  readonly clusterArn: string;
  readonly context: BrokerContext;
  /** Stops listening, closes connections, flushes and closes storage. Idempotent. */
  close(): Promise<void>;
}

export interface StartBrokerDependencies {
  logger?: Logger;
  clock?: Clock;
}

/** Starts a local MSK: storage, topics, groups, the Kafka listener and the control plane. */
export async function startBroker(
  overrides: Partial<BrokerConfig> = {},
  dependencies: StartBrokerDependencies = {},
): Promise<RunningBroker> {
  const config: BrokerConfig = { ...defaultBrokerConfig, ...overrides };
  const logger = dependencies.logger ?? createConsoleLogger(config.logLevel);
  const clock = dependencies.clock ?? systemClock;

  const storage: Storage = config.dataDir
    ? await openFileStorage(config.dataDir, { segmentBytes: config.segmentBytes, logger })
    : new MemoryStorage();
  const topics = new TopicManager(storage, config, clock, logger);
  await topics.load();
  // Before the groups read them: offsets past a log end a crash moved back, or of topics gone, are repaired.
  const logEndOf = (topic: string, partition: number) =>
    topics.get(topic) ? (topics.partition(topic, partition)?.logEndOffset ?? null) : undefined;
  await clampCommittedOffsets(storage, logEndOf, logger);
  const groups = new GroupCoordinator(storage, config, clock, logger);
  await groups.load();

  const registry = new ApiRegistry(allHandlers);
  const identity = { nodeId: config.nodeId, host: config.advertisedHost, port: config.port, clusterId: config.clusterId };
  const context: BrokerContext = {
    identity,
    topics,
    groups,
    producers: restoreProducerState(topics),
    storage,
    clock,
    logger,
    apiVersions: registry.versionRanges(),
    maxMessageBytes: config.maxMessageBytes,
    auth: new BrokerAuth(config.auth, config.saslUsers, config.region, clock),
  };
  const server = new KafkaServer(registry, () => context, { maxFrameBytes: config.maxFrameBytes, idleTimeoutMs: config.idleTimeoutMs, maxQueuedFrames: 64 }, logger);
  const port = await server.listen(config.port, config.host);
  identity.port = port;
  const bootstrap = `${config.advertisedHost}:${port}`;

  const clusterArn = `arn:aws:kafka:${config.region}:000000000000:cluster/${config.clusterName}/${randomUUIDFor(config.clusterId)}`;
  let controlPlane: RunningControlPlane | null = null;
  try {
    if (config.controlPlanePort !== null) {
      controlPlane = await startControlPlane({
        host: config.host,
        port: config.controlPlanePort,
        logger,
        cluster: {
          clusterName: config.clusterName,
          clusterArn,
          bootstrapBrokers: bootstrap,
          // What the listener offers (auth/broker-auth.ts): SCRAM only with users, OAUTHBEARER whenever SASL is on.
          clientAuthentication: {
            unauthenticated: config.auth !== 'required',
            saslScram: context.auth.mechanisms.includes('SCRAM-SHA-512'),
            saslIam: context.auth.mechanisms.includes('OAUTHBEARER'),
          },
          region: config.region,
          creationTime: new Date(clock.now()).toISOString(),
          kafkaVersion: '3.6.0',
          numberOfBrokerNodes: 1,
        },
      });
    }
  } catch (error) {
    // Nothing may stay open when start-up fails part-way (e.g. the control-plane port is taken).
    await server.close();
    await groups.close();
    await topics.close();
    await storage.close();
    throw error;
  }

  // One retention pass at a time: a slow pass must not overlap the next tick.
  let retentionPass: Promise<void> | null = null;
  const retentionTimer = setInterval(() => {
    if (retentionPass) return;
    retentionPass = topics
      .enforceRetention()
      .catch((error: Error) => logger.error('retention failed', { error: error.message }))
      .finally(() => (retentionPass = null));
  }, config.retentionCheckIntervalMs);
  retentionTimer.unref();

  let closing: Promise<void> | null = null;
  return {
    port,
    bootstrap,
    controlPlaneUrl: controlPlane?.url ?? null,
    clusterArn,
    context,
    close: () => {
      closing ??= (async () => {
        clearInterval(retentionTimer);
        await retentionPass;
        await server.close();
        await controlPlane?.close();
        await groups.close();
        await topics.close();
        await storage.close();
      })();
      return closing;
    },
  };
}

/** A stable UUID-shaped suffix derived from the cluster id, so the ARN survives restarts. */
function randomUUIDFor(clusterId: string): string {
  const hex = Buffer.from(clusterId.padEnd(16, '0')).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}-1`;
}


