import type { Admin, Consumer, ConsumerConfig, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { KafkaEventTarget } from '../../functions/shared/kafka/index.js';
import { Batcher } from './batcher.js';
import { deliverBatch, type DeliveryDependencies, type InvokeFunction } from './batch-delivery.js';
import { toRecordInput } from './kafka-records.js';
import { stderrMappingLogger, type MappingLogger } from './logger.js';
import type { MappingDefinition } from './mapping-definition.js';
import { kafkaPayloadSizer, maxInvokePayloadBytes } from './payload-size.js';
import { defaultRetryDelays } from './retry-policy.js';
import { applyStartingTimestamp } from './starting-position.js';

export interface MappingRunnerOptions {
  definition: MappingDefinition;
  /** A kafkajs client for the cluster the topic lives on. */
  kafka: Kafka;
  /** host:port list the events name as bootstrapServers (msk events: the cluster's brokers). */
  bootstrapServers: readonly string[];
  invoke: InvokeFunction;
  logger?: MappingLogger;
  /** Waits between retries; injectable. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Milliseconds since the epoch; used for record age. */
  now?: () => number;
  retryDelays?: { baseDelayMs: number; maxDelayMs: number };
  /** Pause before a crashed consumer is recreated, in ms (real time). Default 1000. */
  restartDelayMs?: number;
  /** Default: AWS's 6 MB invoke limit. */
  maxPayloadBytes?: number;
  /** kafkajs consumer settings (session timeout, heartbeat...); groupId and retry are the runner's. */
  consumerConfig?: Partial<Omit<ConsumerConfig, 'groupId'>>;
}

export interface MappingRunner {
  /**
   * Starts the consumers; resolves once each has joined the group (it waits as long as that takes:
   * a member that cannot connect is retried every restartDelayMs). A disabled mapping starts nothing.
   */
  start(): Promise<void>;
  /** Stops after the batch in hand (uncommitted work is redelivered later); idempotent. */
  stop(): Promise<void>;
  /** Consumers started: min(concurrency, partitions of the topic). */
  readonly consumerCount: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** How often a batch waiting for its window heartbeats, in ms. */
const windowHeartbeatMs = 1000;

/**
 * Runs `work`, heartbeating every windowHeartbeatMs meanwhile so a long invoke (a function's
 * timeout can exceed the session timeout) does not cost the member its partitions. A failed
 * heartbeat (e.g. a rebalance) is ignored here: the commit after the invoke reports it.
 */
async function whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => void heartbeat().catch(() => undefined), windowHeartbeatMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/**
 * The local Kafka event-source mapping: a consumer group (id from the definition) with
 * min(concurrency, partitions) members, each turning fetched records into `aws:kafka` events.
 * Invariants: a partition's offsets are committed only past records whose batch was invoked
 * successfully, sent to the on-failure topic, or (no destination) discarded with a log line;
 * a batch holds records of one partition, in offset order; nothing here throws out of the poll loop.
 */
export function createMappingRunner(options: MappingRunnerOptions): MappingRunner {
  const { definition, kafka } = options;
  const logger = options.logger ?? stderrMappingLogger;
  const now = options.now ?? Date.now;
  const target: KafkaEventTarget = {
    eventSource: definition.eventSource,
    ...(definition.eventSourceArn === null ? {} : { eventSourceArn: definition.eventSourceArn }),
    bootstrapServers: options.bootstrapServers,
  };
  const sizer = kafkaPayloadSizer(target);
  let stopping = false;
  let producer: Producer | null = null;
  let consumerCount = 0;
  const loops: Array<Promise<void>> = [];
  const live = new Set<Consumer>();

  async function handleBatch(consumer: Consumer, payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const running = () => !stopping && isRunning() && !isStale();
    const batcher = new Batcher({ batchSize: definition.batchSize, windowMs: definition.maximumBatchingWindowMs, maxPayloadBytes: options.maxPayloadBytes ?? maxInvokePayloadBytes, sizer, now });
    const deps: DeliveryDependencies = {
      functionName: definition.functionName,
      target,
      invoke: (event) => whileHeartbeating(heartbeat, () => options.invoke(event)),
      policy: { maximumRetryAttempts: definition.maximumRetryAttempts, maximumRecordAgeSeconds: definition.maximumRecordAgeSeconds, ...(options.retryDelays ?? defaultRetryDelays) },
      onFailure: definition.onFailureTopic !== null && producer !== null ? { topic: definition.onFailureTopic, producer } : null,
      logger,
      sleep: options.sleep ?? realSleep,
      now,
      isRunning: running,
      heartbeat,
    };
    /** Delivers one batch and commits past it; false when the rest of this fetch must be left for redelivery. */
    const deliverAndCommit = async (records: ReturnType<Batcher['flush']>): Promise<boolean> => {
      const last = records[records.length - 1];
      if (last === undefined) return true;
      const outcome = await deliverBatch(records, deps);
      if (outcome === 'stopped') return false;
      resolveOffset(String(last.offset));
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(last.offset + 1) }]);
      return true;
    };

    for (const message of batch.messages) {
      if (!running()) return;
      for (const ready of batcher.add(toRecordInput(batch.topic, batch.partition, message))) {
        if (!(await deliverAndCommit(ready))) return;
      }
    }
    // The tail waits out its batching window (records fetched later start their own batch).
    for (let wait = batcher.msUntilDue(); wait !== null && wait > 0 && running(); wait = batcher.msUntilDue()) {
      await realSleep(Math.min(wait, windowHeartbeatMs));
      await heartbeat();
    }
    if (running()) await deliverAndCommit(batcher.flush());
  }

  /** One group member, recreated after any crash until the mapping stops. */
  async function memberLoop(index: number, joined: () => void): Promise<void> {
    while (!stopping) {
      // kafkajs must not restart a crashed consumer itself: this loop does, so there is never a second one.
      const consumer = kafka.consumer({
        maxWaitTimeInMs: 500,
        ...options.consumerConfig,
        groupId: definition.consumerGroupId,
        allowAutoTopicCreation: false,
        retry: { retries: 5, ...options.consumerConfig?.retry, restartOnFailure: async () => false },
      });
      live.add(consumer);
      try {
        const crashed = new Promise<void>((resolve) => {
          consumer.on(consumer.events.CRASH, (event) => {
            logger.error('consumer crashed', { functionName: definition.functionName, member: index, error: String(event.payload.error), restart: event.payload.restart });
            if (!event.payload.restart) resolve();
          });
          consumer.on(consumer.events.STOP, () => resolve());
        });
        consumer.on(consumer.events.GROUP_JOIN, () => joined());
        await consumer.connect();
        await consumer.subscribe({ topic: definition.topic, fromBeginning: definition.startingPosition !== 'LATEST' });
        await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: (payload) => handleBatch(consumer, payload) });
        await crashed;
      } catch (error) {
        logger.error('consumer failed; restarting it', { functionName: definition.functionName, member: index, error: String(error) });
      }
      await consumer.disconnect().catch(() => undefined);
      live.delete(consumer);
      if (!stopping) await realSleep(options.restartDelayMs ?? 1000);
    }
  }

  async function partitionCount(admin: Admin): Promise<number> {
    const metadata = await admin.fetchTopicMetadata({ topics: [definition.topic] });
    return metadata.topics[0]?.partitions.length ?? 0;
  }

  return {
    get consumerCount() {
      return consumerCount;
    },
    async start() {
      if (loops.length > 0) throw new Error(`mapping for "${definition.functionName}" is already started`);
      if (!definition.enabled) {
        logger.info('event-source mapping is disabled; not consuming', { functionName: definition.functionName, topic: definition.topic });
        return;
      }
      stopping = false;
      const admin = kafka.admin();
      await admin.connect();
      try {
        const partitions = await partitionCount(admin);
        if (partitions === 0) throw new Error(`topic "${definition.topic}" has no partitions`);
        consumerCount = Math.min(definition.concurrency, partitions);
        if (definition.startingPosition === 'AT_TIMESTAMP') await applyStartingTimestamp(admin, definition);
      } finally {
        await admin.disconnect();
      }
      if (definition.onFailureTopic !== null) {
        producer = kafka.producer({ allowAutoTopicCreation: true });
        await producer.connect();
      }
      const joins: Array<Promise<void>> = [];
      for (let index = 0; index < consumerCount; index++) {
        joins.push(new Promise<void>((resolve) => loops.push(memberLoop(index, resolve))));
      }
      await Promise.all(joins);
      logger.info('event-source mapping started', { functionName: definition.functionName, topic: definition.topic, groupId: definition.consumerGroupId, consumers: consumerCount });
    },
    async stop() {
      stopping = true;
      await Promise.all([...live].map((consumer) => consumer.stop().catch(() => undefined)));
      await Promise.all(loops.splice(0));
      await producer?.disconnect().catch(() => undefined);
      producer = null;
    },
  };
}
