/**
 * `npm run topics -- [--json] [--env-path FILE | --no-env]`: every topic of the stack's Kafka with
 * each partition's leader and earliest/latest offsets (kcat -L with offsets), then each consumer
 * group's committed offset and lag per partition (kafka-consumer-groups --describe). The brokers
 * come from KAFKA_BOOTSTRAP_SERVERS (or MSK_CLUSTER_ARN), from the environment, else the .env `npm
 * start` writes. The lag is the metrics aggregator's own reading (readConsumerLag): a group that
 * has committed nothing on a partition shows "-" and the records it still has to read from the
 * earliest offset. Exit 0; 1 when the brokers do not answer; 2 for bad options.
 */
import '../process/quiet-sdk-notice.js';
import type { Admin } from 'kafkajs';
import { loadKafkaConfig, type KafkaConfig } from '../../functions/shared/config/index.js';
import { ConfigError, InfrastructureError } from '../../functions/shared/errors.js';
import { createKafka, resolveBootstrapServers } from '../../functions/shared/kafka/index.js';
import { kafkaSasl } from '../../functions/shared/kafka/auth/kafka-sasl.js';
import { readConsumerLag, type ConsumerLagReading } from '../../functions/metrics-aggregator/lag/read-consumer-lag.js';
import { parseFlags } from './flags.js';
import { envFlagSpecs, runOperator } from './operator-cli.js';
import { loadOperatorEnv } from './operator-env.js';

export const TOPICS_USAGE = `usage: npm run topics -- [--json] [--env-path FILE | --no-env]
Every topic with its partitions' leader and earliest/latest offsets, then every consumer group's
committed offset and lag per partition, from KAFKA_BOOTSTRAP_SERVERS (environment, else .env).
Replaces the seed's \`kafka-topics --describe\` and \`kafka-consumer-groups --describe --all-groups\`.
  --json            one JSON object instead of the tables
  --env-path FILE   read settings from FILE instead of .env      --no-env   read no file`;

const specs = { json: { kind: 'switch' }, ...envFlagSpecs, help: { kind: 'switch' } } as const;
/** Groups examined at most (the first by id); the rest are counted. */
const maxGroups = 200;

export interface TopicPartition {
  readonly partition: number;
  readonly leader: number;
  readonly earliestOffset: number;
  readonly latestOffset: number;
}

export interface TopicsReport {
  readonly brokers: readonly string[];
  readonly topics: ReadonlyArray<{ readonly topic: string; readonly partitions: readonly TopicPartition[] }>;
  /** Per group, topic and partition: committed offset (null: none yet) and lag. */
  readonly groups: ReadonlyArray<{ readonly groupId: string; readonly topic: string; readonly partition: number; readonly committedOffset: number | null; readonly latestOffset: number; readonly lag: number }>;
  readonly groupsLeftOut: number;
}

export async function readTopics(admin: Pick<Admin, 'listTopics' | 'fetchTopicMetadata' | 'fetchTopicOffsets' | 'listGroups' | 'fetchOffsets'>, brokers: readonly string[]): Promise<TopicsReport> {
  const names = (await admin.listTopics()).sort();
  const metadata = names.length === 0 ? { topics: [] } : await admin.fetchTopicMetadata({ topics: names });
  const leaders = new Map(metadata.topics.flatMap((topic) => topic.partitions.map((partition) => [`${topic.name}\u0000${partition.partitionId}`, partition.leader] as const)));
  const topics = await Promise.all(
    names.map(async (topic) => ({
      topic,
      partitions: (await admin.fetchTopicOffsets(topic))
        .map((entry) => ({ partition: entry.partition, leader: leaders.get(`${topic}\u0000${entry.partition}`) ?? -1, earliestOffset: Number(entry.low), latestOffset: Number(entry.high) }))
        .sort((a, b) => a.partition - b.partition),
    })),
  );
  const lag = await readConsumerLag(admin, { topics: names, groups: null, maxGroups });
  // Like kafka-consumer-groups: a group is shown on the topics it has committed offsets on.
  const consumed = new Set(lag.readings.filter((reading) => reading.currentOffset >= 0).map((reading) => `${reading.groupId}\u0000${reading.topic}`));
  const groups = lag.readings.filter((reading) => consumed.has(`${reading.groupId}\u0000${reading.topic}`)).map((reading: ConsumerLagReading) => ({
    groupId: reading.groupId,
    topic: reading.topic,
    partition: reading.partition,
    committedOffset: reading.currentOffset < 0 ? null : reading.currentOffset,
    latestOffset: reading.logEndOffset,
    lag: reading.lag,
  }));
  return { brokers, topics, groups, groupsLeftOut: lag.groupsLeftOut };
}

function table(header: string[], rows: string[][], right: ReadonlySet<number>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (right.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatTopics(report: TopicsReport): string {
  const parts = [`brokers ${report.brokers.join(',')}: ${report.topics.length} topic${report.topics.length === 1 ? '' : 's'}`];
  const partitionRows = report.topics.flatMap(({ topic, partitions }) => partitions.map((p) => [topic, String(p.partition), String(p.leader), String(p.earliestOffset), String(p.latestOffset), String(p.latestOffset - p.earliestOffset)]));
  if (partitionRows.length > 0) parts.push(table(['TOPIC', 'PARTITION', 'LEADER', 'EARLIEST', 'LATEST', 'RECORDS'], partitionRows, new Set([1, 2, 3, 4, 5])));
  if (report.groups.length === 0) parts.push('no consumer group has committed an offset on these topics');
  else {
    const groupRows = report.groups.map((g) => [g.groupId, g.topic, String(g.partition), g.committedOffset === null ? '-' : String(g.committedOffset), String(g.latestOffset), String(g.lag)]);
    const totals = new Map<string, number>();
    for (const g of report.groups) totals.set(g.groupId, (totals.get(g.groupId) ?? 0) + g.lag);
    parts.push(table(['GROUP', 'TOPIC', 'PARTITION', 'COMMITTED', 'LATEST', 'LAG'], groupRows, new Set([2, 3, 4, 5])));
    parts.push([...totals].map(([group, total]) => `total lag ${group}: ${total}`).join('\n'));
  }
  if (report.groupsLeftOut > 0) parts.push(`${report.groupsLeftOut} more group(s) not examined (the first ${maxGroups} by id are)`);
  return `${parts.join('\n\n')}\n`;
}

export async function showTopics(argv: readonly string[], base: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { flags, positional } = parseFlags(argv, specs, TOPICS_USAGE);
  if (flags.help) {
    process.stdout.write(`${TOPICS_USAGE}\n`);
    return 0;
  }
  if (positional.length > 0) throw new ConfigError(`unexpected argument ${JSON.stringify(positional[0]!.slice(0, 80))}`);
  const { env } = await loadOperatorEnv({ envPath: flags['env-path'], noEnv: flags['no-env'] }, base);
  const config: KafkaConfig = { ...loadKafkaConfig(env), clientId: 'log-anomaly-topics', connectionTimeoutMs: 3_000, requestTimeoutMs: 10_000, logLevel: 'nothing' };
  const where = config.bootstrap.kind === 'brokers' ? config.bootstrap.brokers.join(',') : config.bootstrap.clusterArn;
  let report: TopicsReport;
  try {
    const bootstrap = await resolveBootstrapServers(config);
    const admin = createKafka(config, bootstrap, await kafkaSasl(config.auth)).admin({ retry: { retries: 1 } });
    await admin.connect();
    try {
      report = await readTopics(admin, bootstrap.brokers);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new InfrastructureError(`no answer from Kafka at ${where}: ${(error as Error).message.replace(/\s+/g, ' ')}; is \`npm start\` running?`, { cause: error });
  }
  process.stdout.write(flags.json ? `${JSON.stringify(report)}\n` : formatTopics(report));
  return 0;
}

if (process.argv[1]?.endsWith('topics.ts')) await runOperator('topics', (argv) => showTopics(argv));
