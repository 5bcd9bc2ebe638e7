/**
 * `npm run logs -- COMPONENT [--stack embedded|compose|localstack|aws] [--lines N] [--follow]`:
 * the log of one component, wherever that stack keeps it:
 *   embedded    .data/logs/<component>.log (the file a local launcher writes for each component;
 *               `npm start` itself prints to its terminal)
 *   compose     `docker compose logs <service>` (kafka, postgres, localstack, event-source-mapping, …)
 *   localstack  `serverless logs -f <function> --stage localstack` (CloudWatch Logs in LocalStack)
 *   aws         `serverless logs -f <function> --stage aws`
 * Exit 0, 1 when the log cannot be read, 2 for bad options.
 */
import '../process/quiet-sdk-notice.js';
import { spawn } from 'node:child_process';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, InfrastructureError } from '../../functions/shared/errors.js';
import { localStackEnv } from '../deploy/deploy-localstack.js';
import { oslsBin, repoRoot } from '../deploy/osls.js';
import { parseFlags, quoted } from './flags.js';

const USAGE = `usage: npm run logs -- COMPONENT [--stack embedded|compose|localstack|aws] [--lines N] [--follow]
  embedded (default): .data/logs/COMPONENT.log   compose: docker compose logs COMPONENT
  localstack, aws: serverless logs -f COMPONENT (a function: producer, detector, metrics-aggregator)`;

const stacks = ['embedded', 'compose', 'localstack', 'aws'] as const;
/** At most this much of a log file is read to find its last lines (bytes). */
const maxTailBytes = 1024 * 1024;

export async function tailFile(file: string, lines: number): Promise<{ text: string; size: number }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxTailBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const all = buffer.toString('utf8').split('\n');
    if (all[all.length - 1] === '') all.pop();
    return { text: all.slice(-lines).map((line) => `${line}\n`).join(''), size };
  } finally {
    await handle.close();
  }
}

async function embeddedLog(component: string, lines: number, follow: boolean, dataDir: string): Promise<void> {
  const dir = join(dataDir, 'logs');
  const file = join(dir, `${component}.log`);
  if (!(await stat(file).then((info) => info.isFile(), () => false))) {
    const present = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.log')).map((name) => name.slice(0, -4));
    throw new InfrastructureError(
      `no log file ${file}. ${present.length > 0 ? `Components with logs: ${present.join(', ')}.` : 'No component has written one yet:'} ` +
        '`npm start` prints its services\' output in its own terminal; for the compose stack use --stack compose',
    );
  }
  let { text, size } = await tailFile(file, lines);
  process.stdout.write(text);
  while (follow) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = (await stat(file)).size;
    if (now < size) size = 0; // truncated or rotated: start over
    if (now > size) {
      const handle = await open(file, 'r');
      const buffer = Buffer.alloc(Math.min(now - size, maxTailBytes));
      await handle.read(buffer, 0, buffer.length, now - buffer.length);
      await handle.close();
      process.stdout.write(buffer);
      size = now;
    }
  }
}

function passThrough(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: 'inherit' });
    child.once('error', (error) => reject(new InfrastructureError(`could not run ${command}: ${error.message}`, { cause: error })));
    child.once('close', (code) => (code === 0 ? resolve() : reject(new InfrastructureError(`${command} ${args.slice(0, 3).join(' ')} exited with ${code}`))));
  });
}

export async function showLogs(argv: readonly string[], dataDir = join(repoRoot, '.data')): Promise<void> {
  const { flags, positional } = parseFlags(argv, { stack: { kind: 'text' }, lines: { kind: 'count', min: 1, max: 100_000 }, follow: { kind: 'switch' }, help: { kind: 'switch' } }, USAGE);
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (positional.length !== 1) throw new ConfigError(`expected one component, got ${positional.length}\n${USAGE}`);
  const component = positional[0]!;
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(component)) throw new ConfigError(`component ${quoted(component)} must be lower-case letters, digits and "-"\n${USAGE}`);
  const stack = flags.stack ?? 'embedded';
  if (!(stacks as readonly string[]).includes(stack)) throw new ConfigError(`--stack must be one of ${stacks.join(', ')} (got ${quoted(stack)})\n${USAGE}`);
  const lines = flags.lines ?? 100;
  const follow = flags.follow === true;
  if (stack === 'embedded') return embeddedLog(component, lines, follow, dataDir);
  if (stack === 'compose') return passThrough('docker', ['compose', 'logs', '--tail', String(lines), ...(follow ? ['--follow'] : []), component], process.env);
  const env = stack === 'localstack' ? localStackEnv(process.env, process.env.LOCALSTACK_ENDPOINT ?? 'http://127.0.0.1:4566', 'us-east-1') : process.env;
  return passThrough(process.execPath, [oslsBin, 'logs', '-f', component, '--stage', stack, ...(follow ? ['--tail'] : [])], env);
}

if (process.argv[1]?.endsWith('logs.ts')) {
  showLogs(process.argv.slice(2)).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`logs: ${(error as Error)?.message ?? String(error)}\n`);
      process.exit(error instanceof ConfigError ? 2 : 1);
    },
  );
}
