import { Partitioners, type Admin, type Consumer, type ConsumerConfig, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import type { KafkaEventTarget, KafkaEventWire } from '../../functions/shared/kafka/index.js';
import { deliverBatch, type DeliveryDependencies, type InvokeFunction } from './batch-delivery.js';
import { toRecordInput } from './kafka-records.js';
import { MappingMetrics } from './mapping-metrics.js';
import { MemberPoller, type PolledRecord } from './member-poller.js';
import { stderrMappingLogger, type MappingLogger } from './logger.js';
import type { MappingDefinition } from './mapping-definition.js';
import { kafkaPayloadSizer, maxInvokePayloadBytes, type PayloadSizer } from './payload-size.js';
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
  /** The clock, milliseconds since the epoch: record age and batching windows. Default Date.now. */
  now?: () => number;
  /** [0, 1): jitter of Invoke API retries. Default Math.random. */
  random?: () => number;
  retryDelays?: { baseDelayMs: number; maxDelayMs: number };
  /** Pause before a crashed consumer is recreated, in ms (real time). Default 1000. */
  restartDelayMs?: number;
  /** Default: AWS's 6 MB invoke limit. */
  maxPayloadBytes?: number;
  /** Where the mapping reports its own metrics (esm.* on the metrics topic); absent: not reported. */
  metrics?: { topic: string; intervalMs: number; experimentId?: string | null };
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
  /** Pollers (group members) started: min(concurrency, partitions of the topic). */
  readonly consumerCount: number;
  /** Records behind the log end over the partitions fetched from, as of each one's latest fetch. */
  readonly lag: number;
}

/** Filtered-out records are committed with their batch but not sent: they cost no payload bytes. */
function filteredFree(sizer: PayloadSizer): PayloadSizer {
  return { ...sizer, recordBytes: (record) => ((record as PolledRecord).filtered ? 0 : sizer.recordBytes(record)) };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Records one event carries (a batch may be split or retried in parts). */
function recordCount(event: KafkaEventWire): number {
  let count = 0;
  for (const slot in event.records) count += event.records[slot]!.length;
  return count;
}

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
 * Invariants: a partition's offsets are committed only past records the function processed, that
 * were sent to the on-failure topic, filtered out, or (no destination) skipped with a log line
 * (retries exhausted, or older than maximumRecordAgeInSeconds); a batch may hold several of the
 * member's partitions, each in offset order (see MemberPoller); nothing here throws out of the poll loop.
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
  const pollers = new Set<MemberPoller>();
  const metrics = new MappingMetrics(
    options.metrics
      ? { kafka, logger, topic: options.metrics.topic, intervalMs: options.metrics.intervalMs, experimentId: options.metrics.experimentId ?? null, componentId: `${definition.functionName}/${definition.consumerGroupId}`.slice(0, 256) }
      : null,
  );

  /** A poller for one consumer instance: batches across its partitions and fetches, commits after success. */
  function createPoller(consumer: Consumer, heartbeat: () => Promise<void>, index: number): MemberPoller {
    return new MemberPoller({
      restart: (reason, error) => {
        logger.error(`${reason}; restarting the consumer`, { functionName: definition.functionName, member: index, error: String(error) });
        void consumer.stop().catch(() => undefined);
      },
      functionName: definition.functionName,
      batcher: { batchSize: definition.batchSize, windowMs: definition.maximumBatchingWindowMs, maxPayloadBytes: options.maxPayloadBytes ?? maxInvokePayloadBytes, sizer: filteredFree(sizer), now },
      heartbeat,
      logger,
      commit: (offsets) => consumer.commitOffsets([...offsets]),
      deliver: async (records, isCurrent, checkpoint) => {
        const deps: DeliveryDependencies = {
          functionName: definition.functionName,
          target,
          invoke: async (event) => {
            const started = performance.now();
            const sent = recordCount(event);
            try {
              const result = await whileHeartbeating(heartbeat, () => options.invoke(event));
              metrics.invoked(sent, performance.now() - started, true);
              return result;
            } catch (error) {
              metrics.invoked(sent, performance.now() - started, false);
              throw error;
            }
          },
          policy: { maximumRetryAttempts: definition.maximumRetryAttempts, ...(options.retryDelays ?? defaultRetryDelays) },
          errorHandling: {
            maximumRecordAgeSeconds: definition.maximumRecordAgeSeconds,
            bisectBatchOnFunctionError: definition.bisectBatchOnFunctionError,
            reportBatchItemFailures: definition.reportBatchItemFailures,
          },
          onFailure: definition.onFailureTopic !== null && producer !== null ? { topic: definition.onFailureTopic, producer } : null,
          logger,
          sleep: options.sleep ?? realSleep,
          now,
          random: options.random ?? Math.random,
          isRunning: () => !stopping && isCurrent(),
          heartbeat,
          checkpoint,
        };
        return deliverBatch(records, deps);
      },
    });
  }

  /** eachBatch: hands every fetched record to the member's poller, resolving each once it is taken. */
  async function takeFetched(poller: MemberPoller, payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale, resolveOffset } = payload;
    const valid = () => !stopping && isRunning() && !isStale();
    if (!valid()) return;
    // Offsets are resolved before every wait and at the end: exactly the records taken so far.
    let taken: string | null = null;
    for (const message of batch.messages) {
      const record = toRecordInput(batch.topic, batch.partition, message, definition.filterPatterns);
      if (record.filtered) metrics.filteredOut(1);
      if (!poller.tryAccept(record)) {
        if (taken !== null) resolveOffset(taken);
        taken = null;
        if (!(await poller.accept(record, valid))) return;
      }
      taken = message.offset;
    }
    if (taken !== null) resolveOffset(taken);
    metrics.lag(batch.topic, batch.partition, Number(batch.offsetLag()));
  }

  /** One group member, recreated after any crash until the mapping stops. */
  async function memberLoop(index: number, joined: () => void): Promise<void> {
    while (!stopping) {
      // kafkajs must not restart a crashed consumer itself: this loop does, so there is never a second one.
      const consumer = kafka.consumer({
        // A fetch returns once 64 KiB are there or after 100 ms: under load one fetch carries a few
        // hundred records instead of the few one produce brought (the broker and kafkajs cost per
        // request more than per record); at low rates a record waits at most 100 ms more, small
        // beside the 500 ms batching window.
        maxWaitTimeInMs: 100,
        minBytes: 64 * 1024,
        // A poller that died (a killed runtime) gives its partitions back after 10 s, not kafkajs's 30.
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        ...options.consumerConfig,
        groupId: definition.consumerGroupId,
        allowAutoTopicCreation: false,
        retry: { retries: 5, ...options.consumerConfig?.retry, restartOnFailure: async () => false },
      });
      live.add(consumer);
      let latestHeartbeat: () => Promise<void> = async () => undefined;
      const poller = createPoller(consumer, () => latestHeartbeat(), index);
      pollers.add(poller);
      try {
        const crashed = new Promise<void>((resolve) => {
          consumer.on(consumer.events.CRASH, (event) => {
            logger.error('consumer crashed', { functionName: definition.functionName, member: index, error: String(event.payload.error), restart: event.payload.restart });
            if (!event.payload.restart) resolve();
          });
          consumer.on(consumer.events.STOP, () => resolve());
        });
        // Any change of assignment drops what the poller holds uncommitted: kafkajs then fetches
        // from the committed offsets again.
        consumer.on(consumer.events.REBALANCING, () => poller.reset());
        consumer.on(consumer.events.GROUP_JOIN, () => {
          poller.reset();
          joined();
        });
        await consumer.connect();
        await consumer.subscribe({ topic: definition.topic, fromBeginning: definition.startingPosition !== 'LATEST' });
        await consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: 1,
          eachBatch: (payload) => {
            latestHeartbeat = payload.heartbeat;
            return takeFetched(poller, payload);
          },
        });
        await crashed;
      } catch (error) {
        logger.error('consumer failed; restarting it', { functionName: definition.functionName, member: index, error: String(error) });
      }
      await poller.close();
      await consumer.disconnect().catch(() => undefined);
      live.delete(consumer);
      pollers.delete(poller);
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
        producer = kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
        await producer.connect();
      }
      await metrics.start();
      const joins: Array<Promise<void>> = [];
      for (let index = 0; index < consumerCount; index++) {
        joins.push(new Promise<void>((resolve) => loops.push(memberLoop(index, resolve))));
      }
      await Promise.all(joins);
      logger.info('event-source mapping started', { functionName: definition.functionName, topic: definition.topic, groupId: definition.consumerGroupId, consumers: consumerCount });
    },
    async stop() {
      stopping = true;
      await Promise.all([...pollers].map((poller) => poller.close()));
      await Promise.all([...live].map((consumer) => consumer.stop().catch(() => undefined)));
      await Promise.all(loops.splice(0));
      await producer?.disconnect().catch(() => undefined);
      producer = null;
      await metrics.stop();
    },
    get lag() {
      return metrics.totalLag;
    },
  };
}
