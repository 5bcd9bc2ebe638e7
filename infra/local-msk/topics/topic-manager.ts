import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { KafkaProtocolError } from '../errors.js';
import type { Logger } from '../logger.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { PartitionLog, Storage, TopicRecord } from '../storage/storage.js';
import { DataSignal } from './data-signal.js';
import { topicSettings, validateTopicConfigs, type TopicDefaults, type TopicSettings } from './topic-config.js';
import { validateTopicName } from './topic-name.js';

export interface Topic {
  readonly name: string;
  /** 16 bytes. */
  readonly topicId: Buffer;
  readonly partitions: readonly PartitionLog[];
  readonly configs: Readonly<Record<string, string>>;
  readonly settings: TopicSettings;
}

export interface TopicManagerOptions extends TopicDefaults {
  /** Partitions of an auto-created topic (KAFKA_NUM_PARTITIONS). */
  defaultPartitions: number;
  autoCreateTopics: boolean;
  /** Upper bound on partitions per topic, to keep hostile CreateTopics requests cheap. */
  maxPartitionsPerTopic: number;
}

/** Owns the topics: creation (explicit and automatic), deletion, growth, retention. */
export class TopicManager {
  private readonly topics = new Map<string, Topic>();
  /** Topics being created, so concurrent auto-creations of one name share one creation. */
  private readonly creating = new Map<string, Promise<Topic>>();
  /** Notified whenever a partition's high watermark advances (new data visible); Fetch long-polls on it. */
  readonly dataSignal = new DataSignal();

  constructor(
    private readonly storage: Storage,
    readonly options: TopicManagerOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Reopens every persisted topic. */
  async load(): Promise<void> {
    for (const record of await this.storage.loadTopics()) {
      this.topics.set(record.name, await this.openTopic(record));
    }
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /**
   * Creates a topic. Throws KafkaProtocolError with TOPIC_ALREADY_EXISTS,
   * INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS or INVALID_CONFIG.
   * `validateOnly` checks everything and creates nothing.
   */
  async create(name: string, partitions: number, configs: Record<string, string> = {}, validateOnly = false): Promise<Topic | null> {
    validateTopicName(name);
    if (this.topics.has(name) || this.creating.has(name)) {
      throw new KafkaProtocolError(ErrorCode.TOPIC_ALREADY_EXISTS, `topic ${name} already exists`);
    }
    const count = partitions === -1 ? this.options.defaultPartitions : partitions;
    this.validatePartitionCount(count);
    validateTopicConfigs(configs);
    if (validateOnly) return null;
    return this.createTracked(name, count, configs);
  }

  /** The topic, auto-creating it with the default partition count if allowed; undefined otherwise. */
  async getOrAutoCreate(name: string): Promise<Topic | undefined> {
    const existing = this.topics.get(name);
    if (existing) return existing;
    const pending = this.creating.get(name);
    if (pending) return pending;
    if (!this.options.autoCreateTopics) return undefined;
    validateTopicName(name);
    return this.createTracked(name, this.options.defaultPartitions, {});
  }

  async delete(name: string): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
    this.topics.delete(name);
    await this.storage.deleteTopic(name);
    for (let index = 0; index < topic.partitions.length; index++) {
      await topic.partitions[index]!.close();
      await this.storage.removePartition(name, index);
    }
    await this.storage.deleteOffsetsForTopic(name);
    this.logger.info('topic deleted', { topic: name });
  }

  /** Grows a topic to `totalCount` partitions (Kafka never shrinks one). */
  async addPartitions(name: string, totalCount: number, validateOnly = false): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new KafkaProtocolError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `topic ${name} does not exist`);
    if (totalCount <= topic.partitions.length) {
      throw new KafkaProtocolError(
        ErrorCode.INVALID_PARTITIONS,
        `topic ${name} has ${topic.partitions.length} partitions; the new count ${totalCount} must be larger`,
      );
    }
    this.validatePartitionCount(totalCount);
    if (validateOnly) return;
    const partitions = [...topic.partitions];
    for (let index = partitions.length; index < totalCount; index++) {
      partitions.push(this.watched(await this.storage.openPartition(name, index)));
    }
    const grown: Topic = { ...topic, partitions };
    await this.storage.saveTopic(this.toRecord(grown));
    this.topics.set(name, grown);
    this.logger.info('partitions added', { topic: name, partitions: totalCount });
  }

  /** Applies every topic's retention limits; called periodically by the broker. */
  async enforceRetention(): Promise<void> {
    const now = this.clock.now();
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) await partition.enforceRetention(topic.settings, now);
    }
  }

  async close(): Promise<void> {
    for (const topic of this.topics.values()) {
      for (const partition of topic.partitions) await partition.close();
    }
  }

  private validatePartitionCount(count: number): void {
    if (!Number.isInteger(count) || count < 1 || count > this.options.maxPartitionsPerTopic) {
      throw new KafkaProtocolError(
        ErrorCode.INVALID_PARTITIONS,
        `partition count ${count} must be between 1 and ${this.options.maxPartitionsPerTopic}`,
      );
    }
  }

  private createTracked(name: string, partitions: number, configs: Record<string, string>): Promise<Topic> {
    const creation = (async () => {
      const record: TopicRecord = { name, topicId: randomBytes(16).toString('hex'), partitionCount: partitions, configs };
      const topic = await this.openTopic(record);
      await this.storage.saveTopic(record);
      this.topics.set(name, topic);
      this.logger.info('topic created', { topic: name, partitions });
      return topic;
    })();
    this.creating.set(name, creation);
    const forget = () => this.creating.delete(name);
    creation.then(forget, forget);
    return creation;
  }

  private async openTopic(record: TopicRecord): Promise<Topic> {
    const partitions: PartitionLog[] = [];
    for (let index = 0; index < record.partitionCount; index++) {
      partitions.push(this.watched(await this.storage.openPartition(record.name, index)));
    }
    return {
      name: record.name,
      topicId: Buffer.from(record.topicId, 'hex'),
      partitions,
      configs: record.configs,
      settings: topicSettings(record.configs, this.options),
    };
  }

  /** Wakes fetches waiting on `log` each time its high watermark advances. */
  private watched(log: PartitionLog): PartitionLog {
    log.watchHighWatermark((visibleBytes) => this.dataSignal.notify(log, visibleBytes));
    return log;
  }

  private toRecord(topic: Topic): TopicRecord {
    return {
      name: topic.name,
      topicId: topic.topicId.toString('hex'),
      partitionCount: topic.partitions.length,
      configs: { ...topic.configs },
    };
  }
}
