/**
 * Before deploying to LocalStack: is it answering, are the services a deploy needs up, and have
 * the init hooks (localstack/init/ready.d) run? Each problem is said in terms of what to do.
 */
import { InfrastructureError } from '../../functions/shared/errors.js';

/** What `serverless deploy` talks to. */
export const requiredServices = ['s3', 'lambda', 'cloudformation', 'iam', 'sts', 'logs'] as const;
/** LocalStack states in which a service answers (it starts lazily: "available" is fine). */
const usableStates = new Set(['available', 'running']);
/** Longest answer read from LocalStack's status endpoints (bytes). */
const maxStatusBytes = 256 * 1024;

export interface PreflightReport {
  readonly version: string | null;
  readonly edition: string | null;
}

export async function checkLocalStack(endpoint: string, timeoutMs = 5_000): Promise<PreflightReport> {
  const health = await getJson(`${endpoint}/_localstack/health`, timeoutMs, endpoint);
  const services = (health.services ?? {}) as Record<string, unknown>;
  const missing = requiredServices.filter((name) => !usableStates.has(String(services[name])));
  if (missing.length > 0) {
    const states = missing.map((name) => `${name}=${typeof services[name] === 'string' ? services[name] : 'absent'}`).join(', ');
    throw new InfrastructureError(
      `LocalStack at ${endpoint} cannot take a deploy: ${states}. docker-compose.yml starts it with SERVICES=${requiredServices.join(',')}; ` +
        `an image newer than 4.14.0 also needs LOCALSTACK_AUTH_TOKEN (docs/deploy.md)`,
    );
  }
  const init = await getJson(`${endpoint}/_localstack/init/ready`, timeoutMs, endpoint);
  const scripts = Array.isArray(init.scripts) ? (init.scripts as Array<{ name?: unknown; state?: unknown }>) : [];
  const failed = scripts.filter((script) => script.state === 'ERROR').map((script) => String(script.name));
  if (failed.length > 0) {
    throw new InfrastructureError(`LocalStack's init hook failed (${failed.join(', ')}): see \`docker compose logs localstack\``);
  }
  if (init.completed !== true || scripts.length === 0) {
    throw new InfrastructureError(
      `LocalStack's init hooks have not run yet${scripts.length === 0 ? ' (none found: is localstack/init/ready.d mounted at /etc/localstack/init/ready.d?)' : ''}; ` +
        'wait for `docker compose ps` to show localstack healthy',
    );
  }
  return { version: typeof health.version === 'string' ? health.version : null, edition: typeof health.edition === 'string' ? health.edition : null };
}

async function getJson(url: string, timeoutMs: number, endpoint: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new InfrastructureError(
      `LocalStack is not answering at ${endpoint} (${describeFetchError(error)}): start it with \`docker compose up -d localstack\`, or pass --endpoint`,
      { cause: error },
    );
  }
  const body = await response.text();
  if (!response.ok) throw new InfrastructureError(`LocalStack at ${endpoint} answered ${new URL(url).pathname} with HTTP ${response.status}`);
  if (body.length > maxStatusBytes) throw new InfrastructureError(`LocalStack at ${endpoint} answered ${new URL(url).pathname} with more than ${maxStatusBytes} bytes`);
  try {
    const json = JSON.parse(body) as unknown;
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) return json as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InfrastructureError(`${endpoint} answered ${new URL(url).pathname} with something other than a JSON object: is it LocalStack?`);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  if ((error as Error)?.name === 'TimeoutError') return 'timed out';
  return (error as Error)?.message ?? String(error);
}
