import { LocalServicesUsageError } from '../local-services/errors.js';
import { externalServicesFromEnv } from '../local-services/external-services.js';
import { parseLocalServicesArgs, usage as servicesUsage } from '../local-services/options.js';
import type { LocalStackOptions } from './start-stack.js';

/** The seed system's default producer rate (records/s), as LOG_RATE defaults to. */
export const defaultProducerRate = 1;
/** Highest rate `--rate` takes (one producer invocation's limit). */
export const maxProducerRate = 5_000;

const stackFlags: Record<string, { help: string }> = {
  '--rate': { help: `records/s of the one producer [${defaultProducerRate}]` },
  '--no-producer': { help: 'run no producer (produce yourself, e.g. with kcat or the producer function)' },
  '--lambda-port': { help: 'serverless-offline Lambda Invoke API port [3002]' },
  '--http-port': { help: 'serverless-offline HTTP port [3000]' },
  '--websocket-port': { help: 'serverless-offline WebSocket port [3001]' },
  '--stage': { help: 'serverless stage [dev]' },
};

export function stackUsage(): string {
  const lines = [
    'Usage: npm start -- [options]',
    '',
    'Runs the whole system locally: the local MSK, PostgreSQL and S3 (below), the functions under',
    'serverless offline with their Kafka triggers, and one producer; prints a live status line.',
    '',
  ];
  for (const [flag, spec] of Object.entries(stackFlags)) lines.push(`  ${(flag === '--no-producer' ? flag : `${flag} <value>`).padEnd(28)}${spec.help}`);
  lines.push('', 'Local services options:', ...servicesUsage().split('\n').slice(4));
  return lines.join('\n');
}

/** Stack flags over the local services' flags (`--flag value` or `--flag=value`); LocalServicesUsageError names a bad one. */
export function parseStackArgs(argv: readonly string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): { options: LocalStackOptions; help: boolean } {
  const rest: string[] = [];
  const stack = { lambdaPort: 3002, httpPort: 3000, websocketPort: 3001, producerRate: defaultProducerRate as number | null, stage: 'dev' };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    if (!(flag in stackFlags)) {
      rest.push(arg);
      continue;
    }
    if (flag === '--no-producer') {
      if (equals > 0) throw new LocalServicesUsageError('--no-producer takes no value');
      stack.producerRate = null;
      continue;
    }
    const raw = equals > 0 ? arg.slice(equals + 1) : argv[++index];
    if (raw === undefined || (equals < 0 && raw.startsWith('--'))) throw new LocalServicesUsageError(`${flag} needs a value`);
    const bad = (why: string): never => {
      throw new LocalServicesUsageError(`${flag}: ${JSON.stringify(raw.slice(0, 80))} ${why}`);
    };
    switch (flag) {
      case '--rate': {
        const rate = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
        if (!(rate > 0 && rate <= maxProducerRate)) bad(`must be a number of records/s above 0 and at most ${maxProducerRate}`);
        stack.producerRate = rate;
        break;
      }
      case '--stage':
        if (!/^[a-zA-Z0-9-]{1,16}$/.test(raw)) bad('must be 1-16 letters, digits or -');
        stack.stage = raw;
        break;
      default: {
        if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) bad('must be a port number from 0 to 65535 (0 = any free port)');
        const key = flag === '--lambda-port' ? 'lambdaPort' : flag === '--http-port' ? 'httpPort' : 'websocketPort';
        stack[key] = Number(raw);
      }
    }
  }
  const { options, help } = parseLocalServicesArgs(rest, cwd);
  // Every part can be swapped for a real one by configuration (the environment, not .env).
  options.external = { ...externalServicesFromEnv(env), ...options.external };
  const ports = [options.kafkaPort, options.controlPlanePort, options.postgresPort, options.s3Port, stack.lambdaPort, stack.httpPort, stack.websocketPort].filter((port) => port !== 0);
  const clash = ports.find((port, i) => ports.indexOf(port) !== i);
  if (clash !== undefined) throw new LocalServicesUsageError(`port ${clash} is given to two services; each needs its own port`);
  return { options: { ...options, ...stack }, help };
}
