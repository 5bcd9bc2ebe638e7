/**
 * `npm run logs -- COMPONENT [--stack embedded|compose|localstack|aws] [--lines N] [--follow]`:
 * the log of one component, wherever that stack keeps it; `npm run logs -- --all [-f]` every
 * component's at once, each line prefixed with its component (the seed's `docker-compose logs -f`):
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
import { join, resolve } from 'node:path';
import { ConfigError, InfrastructureError } from '../../functions/shared/errors.js';
import { localStackEnv } from '../deploy/deploy-localstack.js';
import { oslsBin, repoRoot } from '../deploy/osls.js';
import { parseFlags, quoted } from './flags.js';
import { runOperator } from './operator-cli.js';

const USAGE = `usage: npm run logs -- COMPONENT [--stack embedded|compose|localstack|aws] [--lines N] [--follow | -f]
       npm run logs -- --all [--stack embedded|compose] [--lines N] [--follow | -f]
  embedded (default): .data/logs/COMPONENT.log   compose: docker compose logs COMPONENT
  localstack, aws: serverless logs -f COMPONENT (a function: producer, detector, metrics-aggregator)
  --all: every component's log at once, each line prefixed "component | " (like \`docker-compose logs -f\`);
         following, logs that appear later are picked up. --lines N: the last N lines of each (default 100).
  --data-dir DIR: the embedded stack's data directory (default .data, as \`npm start\` uses).`;

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

/** What `--all --follow` checks between polls; the signal ends following (tests). */
export interface FollowOptions {
  readonly write?: (text: string) => void;
  readonly signal?: AbortSignal;
  readonly pollMs?: number;
}

/**
 * Every `<dataDir>/logs/*.log`: the last `lines` of each (one component after the other), then,
 * following, new lines of all of them as they come, each prefixed with its component. A file that
 * appears later is followed from its start; a truncated one from its new end.
 */
export async function allEmbeddedLogs(dataDir: string, lines: number, follow: boolean, options: FollowOptions = {}): Promise<void> {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const dir = join(dataDir, 'logs');
  const listLogs = async () => (await readdir(dir).catch(() => [] as string[])).filter((name) => /^[a-z][a-z0-9-]{0,63}\.log$/.test(name)).sort().map((name) => name.slice(0, -4));
  const components = await listLogs();
  if (components.length === 0 && !follow) throw new InfrastructureError(`no component has written a log in ${dir} yet; is \`npm start\` running (with this data directory)?`);
  let width = Math.max(0, ...components.map((name) => name.length));
  const prefix = (component: string, text: string) => text.split('\n').map((line) => `${component.padEnd(width)} | ${line}\n`).join('');
  const followed = new Map<string, { size: number; partial: string }>();
  for (const component of components) {
    const { text, size } = await tailFile(join(dir, `${component}.log`), lines);
    if (text !== '') write(prefix(component, text.slice(0, -1)));
    followed.set(component, { size, partial: '' });
  }
  const pollMs = options.pollMs ?? 500;
  while (follow && options.signal?.aborted !== true) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    for (const component of await listLogs()) {
      let state = followed.get(component);
      if (state === undefined) {
        state = { size: 0, partial: '' };
        followed.set(component, state);
        width = Math.max(width, component.length);
      }
      const file = join(dir, `${component}.log`);
      const now = await stat(file).then((info) => info.size, () => null);
      if (now === null) continue;
      if (now < state.size) state.size = 0; // truncated or rotated: start over
      if (now === state.size) continue;
      const start = Math.max(state.size, now - maxTailBytes);
      const buffer = Buffer.alloc(now - start);
      const handle = await open(file, 'r');
      try {
        await handle.read(buffer, 0, buffer.length, start);
      } finally {
        await handle.close();
      }
      state.size = now;
      const text = state.partial + buffer.toString('utf8');
      const end = text.lastIndexOf('\n');
      state.partial = text.slice(end + 1);
      if (end >= 0) write(prefix(component, text.slice(0, end)));
    }
  }
}

export async function showLogs(argv: readonly string[], dataDir = join(repoRoot, '.data'), options: FollowOptions = {}): Promise<void> {
  // `-f`, as docker-compose users type it, is --follow.
  const args = argv.map((arg) => (arg === '-f' ? '--follow' : arg));
  const { flags, positional } = parseFlags(
    args,
    { stack: { kind: 'text' }, lines: { kind: 'count', min: 1, max: 100_000 }, follow: { kind: 'switch' }, all: { kind: 'switch' }, 'data-dir': { kind: 'text' }, help: { kind: 'switch' } },
    USAGE,
  );
  if (flags['data-dir'] !== undefined) dataDir = resolve(flags['data-dir']);
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (flags.all) {
    if (positional.length > 0) throw new ConfigError(`--all takes no component (got ${quoted(positional[0]!)})\n${USAGE}`);
    const stack = flags.stack ?? 'embedded';
    const lines = flags.lines ?? 100;
    if (stack === 'embedded') return allEmbeddedLogs(dataDir, lines, flags.follow === true, options);
    if (stack === 'compose') return passThrough('docker', ['compose', 'logs', '--tail', String(lines), ...(flags.follow ? ['--follow'] : [])], process.env);
    throw new ConfigError(`--all works with --stack embedded or compose (got ${quoted(stack)}); for ${stack}, name a function\n${USAGE}`);
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

if (process.argv[1]?.endsWith('logs.ts')) await runOperator('logs', (argv) => showLogs(argv));
