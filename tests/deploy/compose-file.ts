/**
 * docker-compose.yml as Debian's docker-compose (1.29) resolves it, without a Docker engine:
 * `docker-compose config` validates the file against the Compose schema, applies defaults and
 * interpolates variables; its YAML is read back with PyYAML, which docker-compose itself depends on.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '../../infra/deploy/osls.js';

const run = promisify(execFile);

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string | null>;
  ports?: Array<{ host_ip?: string; published: string | number; target: number }>;
  volumes?: Array<{ type: string; source?: string; target: string; read_only?: boolean }>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  deploy?: { resources?: { limits?: { cpus?: string; memory?: string } } };
  networks?: Record<string, { aliases?: string[] } | null>;
  restart?: string;
}

export interface ComposeConfig {
  services: Record<string, ComposeService>;
  networks: Record<string, { name?: string }>;
  volumes: Record<string, unknown>;
}

/** Path of docker-compose, or null when it is not installed. */
export async function dockerComposeBinary(): Promise<string | null> {
  try {
    const { stdout } = await run('sh', ['-c', 'command -v docker-compose']);
    return stdout.trim() || null;
  } catch {
    return null;
  }
}

/**
 * The resolved compose file. `variables` are the only interpolation inputs: the caller's
 * environment and any .env in the repository are kept out (an empty --env-file).
 */
export async function resolvedCompose(variables: Record<string, string> = {}): Promise<{ code: number; config: ComposeConfig | null; stderr: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'compose-'));
  try {
    const envFile = join(dir, 'empty.env');
    await writeFile(envFile, '');
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...variables };
    let yaml: string;
    try {
      ({ stdout: yaml } = await run('docker-compose', ['-f', join(repoRoot, 'docker-compose.yml'), '--env-file', envFile, 'config'], { env, timeout: 60_000 }));
    } catch (error) {
      const failure = error as { code?: number; stderr?: string };
      return { code: typeof failure.code === 'number' ? failure.code : 1, config: null, stderr: failure.stderr ?? String(error) };
    }
    const json = await pythonYamlToJson(yaml);
    return { code: 0, config: normalize(JSON.parse(json) as ComposeConfig), stderr: '' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function pythonYamlToJson(yaml: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      '/usr/bin/python3',
      ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
      { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`PyYAML could not read docker-compose's output: ${stderr}`)) : resolve(stdout)),
    );
    child.stdin!.end(yaml);
  });
}

/**
 * docker-compose 1.x prints ports and volumes in the short syntax ("127.0.0.1:9092:9092/tcp",
 * "kafka-data:/var/lib/kafka/data:rw") and numbers unquoted; Compose v2 prints the long syntax.
 * Both become the long syntax here, environment values strings.
 */
function normalize(config: ComposeConfig): ComposeConfig {
  for (const service of Object.values(config.services)) {
    if (service.environment) {
      service.environment = Object.fromEntries(Object.entries(service.environment).map(([name, value]) => [name, value === null ? null : String(value)]));
    }
    service.ports = service.ports?.map((port) => {
      if (typeof port !== 'string') return port;
      const match = /^(?:(.+):)?(\d+):(\d+)(?:\/\w+)?$/.exec(port);
      if (!match) throw new Error(`unexpected port syntax ${port}`);
      return { ...(match[1] ? { host_ip: match[1] } : {}), published: Number(match[2]), target: Number(match[3]) };
    });
    service.volumes = service.volumes?.map((volume) => {
      if (typeof volume !== 'string') return volume;
      const [source, target, mode] = (volume as string).split(':');
      return { type: /^[./]/.test(source!) ? 'bind' : 'volume', source: source!, target: target!, read_only: mode === 'ro' };
    });
    const limits = service.deploy?.resources?.limits;
    if (limits?.cpus !== undefined) limits.cpus = String(limits.cpus);
  }
  return config;
}

/** The variables a service sets, empty and null ones left out. */
export function serviceEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''));
}
