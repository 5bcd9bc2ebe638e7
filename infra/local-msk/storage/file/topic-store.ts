/** Topic records as `topics/<topic>/topic.json`, each rewritten atomically. */
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../logger.js';
import type { TopicRecord } from '../storage.js';
import { fsyncDirectory, writeFileAtomic } from './atomic-file.js';
import { topicDirectory, topicRecordPath, topicsDirectory } from './layout.js';

export interface LoadedTopics {
  topics: TopicRecord[];
  /** Directory names whose topic.json could not be read: their data must not be treated as orphaned. */
  unreadable: Set<string>;
}

export class TopicStore {
  constructor(
    private readonly dataDir: string,
    private readonly logger: Logger,
  ) {}

  async load(): Promise<LoadedTopics> {
    const topics: TopicRecord[] = [];
    const unreadable = new Set<string>();
    for (const entry of await readdir(topicsDirectory(this.dataDir), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      let record: TopicRecord | null = null;
      try {
        record = parseTopicRecord(JSON.parse(await readFile(path.join(topicsDirectory(this.dataDir), entry.name, 'topic.json'), 'utf8')));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // a deletion that did not finish
      }
      if (record && record.name === entry.name) {
        topics.push(record);
      } else {
        unreadable.add(entry.name);
        this.logger.warn('ignoring an unreadable topic record', { directory: entry.name });
      }
    }
    return { topics, unreadable };
  }

  async save(topic: TopicRecord): Promise<void> {
    const directory = topicDirectory(this.dataDir, topic.name);
    const created = await mkdir(directory, { recursive: true });
    if (created !== undefined) await fsyncDirectory(path.dirname(directory));
    await writeFileAtomic(topicRecordPath(this.dataDir, topic.name), JSON.stringify(topic, null, 2) + '\n');
  }

  async delete(name: string): Promise<void> {
    // The record goes first: a crash mid-way leaves no topic.json, which load() skips.
    await rm(topicRecordPath(this.dataDir, name), { force: true });
    await rm(topicDirectory(this.dataDir, name), { recursive: true, force: true });
    await fsyncDirectory(topicsDirectory(this.dataDir));
  }
}

function parseTopicRecord(value: unknown): TopicRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const configs = record['configs'];
  if (
    typeof record['name'] !== 'string' ||
    typeof record['topicId'] !== 'string' ||
    !/^[0-9a-f]{32}$/.test(record['topicId']) ||
    !Number.isInteger(record['partitionCount']) ||
    (record['partitionCount'] as number) < 1 ||
    typeof configs !== 'object' ||
    configs === null ||
    Object.values(configs).some((v) => typeof v !== 'string')
  ) {
    return null;
  }
  return {
    name: record['name'],
    topicId: record['topicId'],
    partitionCount: record['partitionCount'] as number,
    configs: { ...(configs as Record<string, string>) },
  };
}
