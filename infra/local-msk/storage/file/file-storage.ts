/**
 * The durable storage behind `--data-dir`: topic records, partition logs on segment files,
 * committed offsets and the producer id counter, all under one directory (layout.ts).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { CommittedOffset, PartitionLog, Storage, TopicRecord } from '../storage.js';
import { fsyncDirectory } from './atomic-file.js';
import { parseStorageFaults, storageFaultsVariable, type StorageFaultPlan } from './fault-injection.js';
import { FilePartitionLog } from './file-partition-log.js';
import {
  groupsDirectory,
  logsDirectory,
  offsetsLogPath,
  parsePartitionDirectoryName,
  partitionDirectory,
  partitionDirectoryName,
  producerIdPath,
  topicsDirectory,
} from './layout.js';
import { OffsetStore } from './offset-store.js';
import { ProducerIdStore } from './producer-id-store.js';
import { TopicStore } from './topic-store.js';

export interface FileStorageOptions {
  /** Roll a partition's active segment once it reaches this many bytes. */
  segmentBytes: number;
  logger: Logger;
  /**
   * TEST-ONLY faults to inject into partition writes (fault-injection.ts). When absent they are
   * read from LOCAL_MSK_TEST_STORAGE_FAULTS, so tests can arm them in a real broker process.
   */
  faults?: StorageFaultPlan;
}

/** Positions in the index files are uint32: keep segments below 2 GiB. */
const maxSegmentBytes = 0x7fffffff;

export async function openFileStorage(dataDir: string, options: FileStorageOptions): Promise<Storage> {
  const root = path.resolve(dataDir);
  await mkdir(root, { recursive: true });
  for (const directory of [topicsDirectory(root), logsDirectory(root), groupsDirectory(root)]) {
    await mkdir(directory, { recursive: true });
  }
  await fsyncDirectory(root);
  const offsets = await OffsetStore.open(offsetsLogPath(root), options.logger);
  const producerIds = await ProducerIdStore.open(producerIdPath(root));
  const segmentBytes = Math.max(1, Math.min(options.segmentBytes, maxSegmentBytes));
  const faults = options.faults ?? parseStorageFaults(process.env[storageFaultsVariable]);
  if (faults.size > 0) options.logger.warn('TEST-ONLY storage faults are armed', { partitions: [...faults.keys()] });
  return new FileStorage(root, { ...options, segmentBytes, faults }, new TopicStore(root, options.logger), offsets, producerIds);
}

class FileStorage implements Storage {
  /** Open partition logs by directory name; a promise so concurrent opens share one log. */
  private readonly partitions = new Map<string, Promise<FilePartitionLog>>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly options: FileStorageOptions,
    private readonly topics: TopicStore,
    private readonly offsets: OffsetStore,
    private readonly producerIds: ProducerIdStore,
  ) {}

  async openPartition(topic: string, partition: number): Promise<PartitionLog> {
    this.checkOpen();
    const name = partitionDirectoryName(topic, partition);
    let log = this.partitions.get(name);
    if (!log) {
      const { segmentBytes, logger, faults } = this.options;
      log = FilePartitionLog.open(partitionDirectory(this.dataDir, topic, partition), name, { segmentBytes, logger, fault: faults?.get(name) });
      this.partitions.set(name, log);
      log.catch(() => this.partitions.delete(name));
    }
    return log;
  }

  async removePartition(topic: string, partition: number): Promise<void> {
    const name = partitionDirectoryName(topic, partition);
    const log = this.partitions.get(name);
    this.partitions.delete(name);
    if (log) await (await log.catch(() => null))?.close();
    await rm(partitionDirectory(this.dataDir, topic, partition), { recursive: true, force: true });
    await fsyncDirectory(logsDirectory(this.dataDir));
  }

  /**
   * The persisted topics. Also removes partition directories no topic owns any more (a
   * creation or deletion interrupted by a crash: partitions are opened before their topic
   * record is saved, and deleted after it); call it at startup, before opening partitions.
   */
  async loadTopics(): Promise<TopicRecord[]> {
    this.checkOpen();
    const { topics, unreadable } = await this.topics.load();
    const partitionCounts = new Map(topics.map((topic) => [topic.name, topic.partitionCount]));
    for (const entry of await readdir(logsDirectory(this.dataDir), { withFileTypes: true })) {
      const parsed = entry.isDirectory() ? parsePartitionDirectoryName(entry.name) : null;
      if (!parsed || unreadable.has(parsed.topic) || this.partitions.has(entry.name)) continue;
      if (parsed.partition < (partitionCounts.get(parsed.topic) ?? 0)) continue;
      this.options.logger.warn('removing partition data no topic owns', { directory: entry.name });
      await rm(path.join(logsDirectory(this.dataDir), entry.name), { recursive: true, force: true });
    }
    return topics;
  }

  async saveTopic(topic: TopicRecord): Promise<void> {
    this.checkOpen();
    return this.topics.save(topic);
  }

  async deleteTopic(name: string): Promise<void> {
    this.checkOpen();
    return this.topics.delete(name);
  }

  async loadOffsets(): Promise<CommittedOffset[]> {
    this.checkOpen();
    return this.offsets.load();
  }

  async commitOffsets(offsets: CommittedOffset[]): Promise<void> {
    this.checkOpen();
    return this.offsets.commit(offsets);
  }

  async deleteOffsetsForTopic(topic: string): Promise<void> {
    this.checkOpen();
    return this.offsets.deleteForTopic(topic);
  }

  async allocateProducerId(): Promise<number> {
    this.checkOpen();
    return this.producerIds.allocate();
  }

  /** Flushes and closes every partition log still open, then the offsets log. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const logs = [...this.partitions.values()];
      this.partitions.clear();
      for (const log of logs) await (await log.catch(() => null))?.close();
      await this.offsets.close();
    })();
    return this.closing;
  }

  private checkOpen(): void {
    if (this.closing) throw new Error('file storage is closed');
  }
}
