import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalServicesUsageError } from './errors.js';
import { externalServicesFromEnv, type ExternalServices } from './external-services.js';

/** Everything the launcher can be told. Ports: 0 picks any free port. */
export interface LocalServicesOptions {
  /** Interface every service binds and the address written to .env. */
  host: string;
  /** Kafka listener of the local MSK. */
  kafkaPort: number;
  /** MSK control-plane HTTP endpoint (GetBootstrapBrokers, DescribeClusterV2). */
  controlPlanePort: number;
  /** PostgreSQL; 5433 by default because a system PostgreSQL often holds 5432. */
  postgresPort: number;
  /** s3rver S3 emulator. */
  s3Port: number;
  /** Kafka segments, the PostgreSQL cluster and S3 objects live under here and survive restarts. */
  dataDir: string;
  /** Where the connection settings are written; null writes nothing. */
  envFile: string | null;
  /** Region in the cluster ARN and AWS_REGION. */
  region: string;
  /** Local MSK log level (its lines go to stderr). */
  logLevel: 'info' | 'warn' | 'error' | 'silent';
  /** Partitions of the pipeline's topics when they are created (logs, metrics, auto-created ones). */
  partitions: number;
  /** Real services to use instead of embedded ones (see external-services.ts); `--use-env` reads them from the environment. */
  external?: ExternalServices;
}

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export const defaultLocalServicesOptions: Readonly<LocalServicesOptions> = Object.freeze({
  host: '127.0.0.1',
  kafkaPort: 9092,
  controlPlanePort: 4510,
  postgresPort: 5433,
  s3Port: 4569,
  dataDir: resolve(repoRoot, '.data'),
  envFile: resolve(repoRoot, '.env'),
  region: 'us-east-1',
  logLevel: 'warn',
  partitions: 3,
});

type ValueFlag = { key: keyof LocalServicesOptions; kind: 'port' | 'path' | 'host' | 'region' | 'level' | 'count'; help: string };

const valueFlags: Record<string, ValueFlag> = {
  '--kafka-port': { key: 'kafkaPort', kind: 'port', help: 'Kafka (local MSK) port [9092]' },
  '--control-plane-port': { key: 'controlPlanePort', kind: 'port', help: 'MSK control-plane HTTP port [4510]' },
  '--postgres-port': { key: 'postgresPort', kind: 'port', help: 'PostgreSQL port [5433]' },
  '--s3-port': { key: 's3Port', kind: 'port', help: 'S3 emulator (s3rver) port [4569]' },
  '--host': { key: 'host', kind: 'host', help: 'interface to bind and to write to .env [127.0.0.1]' },
  '--data-dir': { key: 'dataDir', kind: 'path', help: 'data directory, kept across restarts [.data]' },
  // Not --env-file: tsx passes that flag to node wherever it appears on the command line.
  '--env-path': { key: 'envFile', kind: 'path', help: 'where to write the connection settings [.env]' },
  '--region': { key: 'region', kind: 'region', help: 'AWS region in the cluster ARN and AWS_REGION [us-east-1]' },
  '--log-level': { key: 'logLevel', kind: 'level', help: 'local MSK log level: info | warn | error | silent [warn]' },
  '--partitions': { key: 'partitions', kind: 'count', help: 'partitions of the topics when created (logs, metrics) [3]' },
};

export function usage(): string {
  const lines = [
    'Usage: npm run local:services -- [options]',
    '',
    'Starts the local MSK (Kafka + control plane), PostgreSQL (database log_anomaly, migrated) and the',
    'S3 emulator (buckets log-anomaly-models, log-anomaly-dashboard), writes .env, and runs until Ctrl-C.',
    '',
  ];
  for (const [flag, spec] of Object.entries(valueFlags)) lines.push(`  ${`${flag} <${spec.kind === 'port' ? 'n' : 'value'}>`.padEnd(28)}${spec.help}`);
  lines.push(`  ${'--no-env'.padEnd(28)}do not write an env file`);
  lines.push(`  ${'--use-env'.padEnd(28)}use the Kafka, PostgreSQL and S3 the environment names instead of embedded ones`);
  lines.push(`  ${''.padEnd(28)}(KAFKA_BOOTSTRAP_SERVERS, DATABASE_URL, AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL)`);
  lines.push(`  ${'--help'.padEnd(28)}show this text`);
  return lines.join('\n');
}

/**
 * Parses the launcher's flags (`--flag value` or `--flag=value`) over the defaults. Relative paths
 * resolve against `cwd`. Throws LocalServicesUsageError naming the flag at fault.
 */
export function parseLocalServicesArgs(argv: readonly string[], cwd = process.cwd()): { options: LocalServicesOptions; help: boolean } {
  const options: LocalServicesOptions = { ...defaultLocalServicesOptions };
  let help = false;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const inline = equals > 0 ? arg.slice(equals + 1) : undefined;
    if (flag === '--help' || flag === '-h' || flag === '--no-env' || flag === '--use-env') {
      if (inline !== undefined) throw new LocalServicesUsageError(`${flag} takes no value`);
      if (flag === '--no-env') options.envFile = null;
      else if (flag === '--use-env') options.external = externalServicesFromEnv(process.env);
      else help = true;
      continue;
    }
    const spec = valueFlags[flag];
    if (!spec) throw new LocalServicesUsageError(`unknown option ${JSON.stringify(flag.slice(0, 80))} (see --help)`);
    const raw = inline ?? argv[++index];
    if (raw === undefined || (inline === undefined && raw.startsWith('--'))) throw new LocalServicesUsageError(`${flag} needs a value`);
    (options as unknown as Record<string, unknown>)[spec.key] = parseValue(flag, spec, raw, cwd);
  }
  checkDistinctPorts(options);
  return { options, help };
}

function parseValue(flag: string, spec: ValueFlag, raw: string, cwd: string): unknown {
  const fail = (why: string): never => {
    throw new LocalServicesUsageError(`${flag}: ${JSON.stringify(raw.slice(0, 80))} ${why}`);
  };
  switch (spec.kind) {
    case 'port': {
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) fail('must be a port number from 0 to 65535 (0 = any free port)');
      return Number(raw);
    }
    case 'path':
      if (raw.trim() === '' || raw.length > 4096 || raw.includes('\0')) fail('must be a non-empty path');
      return resolve(cwd, raw);
    case 'host':
      if (!/^[A-Za-z0-9.-]{1,253}$|^[0-9A-Fa-f:]{2,45}$/.test(raw)) fail('must be a host name or an IP address');
      return raw;
    case 'region':
      if (!/^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/.test(raw)) fail('must be an AWS region such as us-east-1');
      return raw;
    case 'count':
      if (!/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > 1000) fail('must be a whole number from 1 to 1000');
      return Number(raw);
    case 'level':
      if (!['info', 'warn', 'error', 'silent'].includes(raw)) fail('must be info, warn, error or silent');
      return raw;
  }
}

/** Two services cannot share a fixed port (0 is fine: each gets its own). */
export function checkDistinctPorts(options: Pick<LocalServicesOptions, 'kafkaPort' | 'controlPlanePort' | 'postgresPort' | 's3Port'>): void {
  const named: Array<[string, number]> = [
    ['--kafka-port', options.kafkaPort],
    ['--control-plane-port', options.controlPlanePort],
    ['--postgres-port', options.postgresPort],
    ['--s3-port', options.s3Port],
  ];
  const fixed = named.filter(([, port]) => port !== 0);
  for (const [index, [flag, port]] of fixed.entries()) {
    const clash = fixed.slice(index + 1).find(([, other]) => other === port);
    if (clash) throw new LocalServicesUsageError(`${flag} and ${clash[0]} are both ${port}; each service needs its own port`);
  }
}
