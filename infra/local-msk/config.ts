import { authModes, saslUser, type AuthMode, type SaslUser } from './auth/broker-auth.js';
import { ConfigError } from './errors.js';
import type { LogLevel } from './logger.js';

/** Every setting of the local MSK, in one place. Units are in the names. */
export interface BrokerConfig {
  /** Interface the Kafka listener binds. */
  host: string;
  /** Kafka listener port; 0 picks a free one. */
  port: number;
  /** Host name clients are told to connect to (Metadata, FindCoordinator). */
  advertisedHost: string;
  /** Segment files live here; null keeps everything in memory. */
  dataDir: string | null;
  nodeId: number;
  clusterId: string;
  /** Partitions of an auto-created topic and of CreateTopics with -1 (KAFKA_NUM_PARTITIONS). */
  defaultPartitions: number;
  autoCreateTopics: boolean;
  maxPartitionsPerTopic: number;
  /** Default retention; -1 = unlimited. Topics override with retention.ms / retention.bytes. */
  retentionMs: number;
  retentionBytes: number;
  retentionCheckIntervalMs: number;
  /** Roll a partition's active segment at this size (file storage). */
  segmentBytes: number;
  /** Largest record batch accepted (message.max.bytes). */
  maxMessageBytes: number;
  /** Largest request frame accepted (socket.request.max.bytes). */
  maxFrameBytes: number;
  /** Idle connections are closed after this long (connections.max.idle.ms). */
  idleTimeoutMs: number;
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
  /** MSK control-plane HTTP port; 0 picks a free one, null disables it. */
  controlPlanePort: number | null;
  /** Name of the registered local MSK cluster. */
  clusterName: string;
  region: string;
  logLevel: LogLevel;
  /** SASL on the Kafka listener: none (default), optional, or required before any other request. */
  auth: AuthMode;
  /** SASL/PLAIN and SCRAM-SHA-512 users, kept as salted SCRAM keys (never the passwords). */
  saslUsers: readonly SaslUser[];
}

export const defaultBrokerConfig: BrokerConfig = {
  host: '127.0.0.1',
  port: 9092,
  advertisedHost: 'localhost',
  dataDir: null,
  nodeId: 1,
  clusterId: 'local-msk-cluster-0001',
  defaultPartitions: 3,
  autoCreateTopics: true,
  maxPartitionsPerTopic: 1000,
  retentionMs: 7 * 24 * 3600 * 1000,
  retentionBytes: -1,
  retentionCheckIntervalMs: 30_000,
  segmentBytes: 64 * 1024 * 1024,
  maxMessageBytes: 1024 * 1024 + 12,
  maxFrameBytes: 100 * 1024 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  initialRebalanceDelayMs: 300,
  minSessionTimeoutMs: 1000,
  maxSessionTimeoutMs: 300_000,
  controlPlanePort: 4510,
  clusterName: 'local-msk',
  region: 'us-east-1',
  logLevel: 'info',
  auth: 'none',
  saslUsers: [],
};

type Kind = 'int' | 'string' | 'bool' | 'level' | 'port' | 'auth' | 'users';

interface Setting {
  key: keyof BrokerConfig;
  flag: string;
  env?: string;
  kind: Kind;
  min?: number;
  max?: number;
  help: string;
}

const settings: Setting[] = [
  { key: 'port', flag: '--port', env: 'LOCAL_MSK_PORT', kind: 'port', help: 'Kafka listener port (0 = any free port)' },
  { key: 'host', flag: '--host', env: 'LOCAL_MSK_HOST', kind: 'string', help: 'interface to bind' },
  { key: 'advertisedHost', flag: '--advertised-host', env: 'LOCAL_MSK_ADVERTISED_HOST', kind: 'string', help: 'host name given to clients' },
  { key: 'dataDir', flag: '--data-dir', env: 'LOCAL_MSK_DATA_DIR', kind: 'string', help: 'directory for segment files (default: in memory)' },
  { key: 'defaultPartitions', flag: '--partitions', env: 'KAFKA_NUM_PARTITIONS', kind: 'int', min: 1, max: 1000, help: 'partitions of auto-created topics' },
  { key: 'autoCreateTopics', flag: '--auto-create-topics', env: 'KAFKA_AUTO_CREATE_TOPICS_ENABLE', kind: 'bool', help: 'create unknown topics on Metadata/Produce (true|false)' },
  { key: 'retentionMs', flag: '--retention-ms', env: 'KAFKA_LOG_RETENTION_MS', kind: 'int', min: -1, help: 'default retention by age, -1 = forever' },
  { key: 'retentionBytes', flag: '--retention-bytes', env: 'KAFKA_LOG_RETENTION_BYTES', kind: 'int', min: -1, help: 'default retention by partition size, -1 = unlimited' },
  { key: 'retentionCheckIntervalMs', flag: '--retention-check-interval-ms', kind: 'int', min: 10, help: 'how often retention runs' },
  { key: 'segmentBytes', flag: '--segment-bytes', env: 'KAFKA_LOG_SEGMENT_BYTES', kind: 'int', min: 1024, help: 'segment roll size' },
  { key: 'maxMessageBytes', flag: '--max-message-bytes', env: 'KAFKA_MESSAGE_MAX_BYTES', kind: 'int', min: 64, help: 'largest record batch accepted' },
  { key: 'maxFrameBytes', flag: '--max-frame-bytes', env: 'KAFKA_SOCKET_REQUEST_MAX_BYTES', kind: 'int', min: 64, max: 1024 * 1024 * 1024, help: 'largest request frame accepted' },
  { key: 'idleTimeoutMs', flag: '--idle-timeout-ms', env: 'KAFKA_CONNECTIONS_MAX_IDLE_MS', kind: 'int', min: 10, help: 'close connections idle this long' },
  { key: 'initialRebalanceDelayMs', flag: '--initial-rebalance-delay-ms', env: 'KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS', kind: 'int', min: 0, help: 'wait before the first rebalance of an empty group' },
  { key: 'controlPlanePort', flag: '--control-plane-port', env: 'LOCAL_MSK_CONTROL_PLANE_PORT', kind: 'port', help: 'MSK control-plane HTTP port (0 = any free port)' },
  { key: 'clusterName', flag: '--cluster-name', env: 'LOCAL_MSK_CLUSTER_NAME', kind: 'string', help: 'name of the registered MSK cluster' },
  { key: 'region', flag: '--region', env: 'AWS_REGION', kind: 'string', help: 'region used in the cluster ARN' },
  { key: 'logLevel', flag: '--log-level', env: 'LOCAL_MSK_LOG_LEVEL', kind: 'level', help: 'info | warn | error | silent' },
  { key: 'auth', flag: '--auth', env: 'LOCAL_MSK_AUTH', kind: 'auth', help: 'SASL: none | optional | required (refuse other requests before authentication)' },
  { key: 'saslUsers', flag: '--sasl-users', env: 'LOCAL_MSK_SASL_USERS', kind: 'users', help: 'PLAIN/SCRAM-SHA-512 users as user:password,user2:password2' },
];

const booleanFlags = new Set(['--in-memory', '--no-control-plane', '--help']);

function parseValue(setting: Setting, raw: string, source: string): unknown {
  const fail = (why: string): never => {
    throw new ConfigError(`${source}: ${JSON.stringify(raw.slice(0, 80))} ${why}`);
  };
  switch (setting.kind) {
    case 'string':
      if (raw.trim() === '') fail('must not be empty');
      if (raw.length > 4096) fail('is too long');
      return raw;
    case 'bool':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      return fail('must be true or false');
    case 'auth':
      if (!(authModes as string[]).includes(raw)) fail('must be none, optional or required');
      return raw;
    case 'users':
      return parseSaslUsers(raw, source);
    case 'level':
      if (!['info', 'warn', 'error', 'silent'].includes(raw)) fail('must be info, warn, error or silent');
      return raw;
    case 'port':
    case 'int': {
      if (!/^-?\d{1,15}$/.test(raw)) fail('must be an integer');
      const value = Number(raw);
      const min = setting.kind === 'port' ? 0 : (setting.min ?? 0);
      const max = setting.kind === 'port' ? 65535 : (setting.max ?? Number.MAX_SAFE_INTEGER);
      if (value < min || value > max) fail(`must be between ${min} and ${max}`);
      return value;
    }
  }
}

/**
 * Merges defaults, environment and command-line flags (flags win) into one validated
 * config. Throws ConfigError naming the flag or variable at fault.
 */
export function resolveBrokerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): { config: BrokerConfig; help: boolean } {
  const config: Record<string, unknown> = { ...defaultBrokerConfig };
  for (const setting of settings) {
    const raw = setting.env ? env[setting.env] : undefined;
    if (raw !== undefined && raw !== '') config[setting.key] = parseValue(setting, raw, `environment variable ${setting.env}`);
  }
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (booleanFlags.has(flag)) {
      if (inline !== undefined) throw new ConfigError(`${flag} takes no value`);
      if (flag === '--in-memory') config.dataDir = null;
      if (flag === '--no-control-plane') config.controlPlanePort = null;
      if (flag === '--help') help = true;
      continue;
    }
    const setting = settings.find((candidate) => candidate.flag === flag);
    if (!setting) throw new ConfigError(`unknown option ${JSON.stringify(flag.slice(0, 80))} (see --help)`);
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new ConfigError(`${flag} needs a value`);
    config[setting.key] = parseValue(setting, raw, `option ${flag}`);
  }
  const resolved = config as unknown as BrokerConfig;
  if (resolved.minSessionTimeoutMs > resolved.maxSessionTimeoutMs) {
    throw new ConfigError('min session timeout must not exceed max session timeout');
  }
  if (resolved.saslUsers.length > 0 && resolved.auth === 'none') {
    throw new ConfigError('--sasl-users (LOCAL_MSK_SASL_USERS) needs --auth optional or --auth required');
  }
  if (resolved.maxMessageBytes > resolved.maxFrameBytes) {
    throw new ConfigError(`--max-message-bytes (${resolved.maxMessageBytes}) must not exceed --max-frame-bytes (${resolved.maxFrameBytes})`);
  }
  return { config: resolved, help };
}

/** Largest number of SASL users; each costs a PBKDF2 derivation at start. */
const maxSaslUsers = 100;

/**
 * `user:password,user2:password2` → users with salted keys. Messages name the entry by its
 * position, never its text: it holds a password. A password may hold ":" but not ",".
 */
function parseSaslUsers(raw: string, source: string): SaslUser[] {
  const entries = raw.split(',');
  if (entries.length > maxSaslUsers) throw new ConfigError(`${source}: at most ${maxSaslUsers} users`);
  const names = new Set<string>();
  return entries.map((entry, index) => {
    const colon = entry.indexOf(':');
    const username = colon > 0 ? entry.slice(0, colon) : '';
    const password = colon > 0 ? entry.slice(colon + 1) : '';
    const where = `${source}: entry ${index + 1}`;
    if (username === '' || password === '') throw new ConfigError(`${where} must be user:password with both parts non-empty`);
    if (!/^[A-Za-z0-9._@-]{1,128}$/.test(username)) throw new ConfigError(`${where}: user names are 1-128 letters, digits and ._@-`);
    if (password.length > 1024) throw new ConfigError(`${where}: the password is longer than 1024 characters`);
    if (names.has(username)) throw new ConfigError(`${where}: user ${username} is listed twice`);
    names.add(username);
    return saslUser(username, password);
  });
}

export function usage(): string {
  const lines = ['Usage: npm run kafka -- [options]', '', 'Runs the local MSK: a single-node Kafka-protocol broker and the MSK control plane.', ''];
  lines.push('  --in-memory                       keep everything in memory (default unless --data-dir)');
  lines.push('  --no-control-plane                do not start the MSK control-plane HTTP endpoint');
  for (const setting of settings) {
    const placeholder = { bool: 'true|false', string: 'value', auth: 'mode', users: 'list' }[setting.kind as string] ?? 'n';
    const name = `${setting.flag} <${placeholder}>`;
    lines.push(`  ${name.padEnd(34)}${setting.help}${setting.env ? ` [env ${setting.env}]` : ''}`);
  }
  return lines.join('\n');
}
