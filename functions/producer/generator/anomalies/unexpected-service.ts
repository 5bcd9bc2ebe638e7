import type { CompiledConfig, CompiledService } from '../generator-config.js';
import type { LogDraft } from '../log-draft.js';
import { drawFromTemplate, usualTime } from '../normal-log.js';
import type { Prng } from '../prng.js';
import { compileTemplate, renderTemplate, type CompiledTemplate } from '../template.js';

/** Names of services that are not part of the system (skipped when a config happens to use one). */
const ROGUE_SERVICE_NAMES = ['legacy-billing', 'crypto-miner', 'debug-shell', 'tmp-export-job', 'shadow-api', 'test-harness', 'backup-agent-old', 'admin-console-dev'] as const;

const ROGUE_TEMPLATES: readonly CompiledTemplate[] = [
  compileTemplate('Started listener on port {port}', 'INFO'),
  compileTemplate('Exporting {count} records to {ip}:{port}', 'INFO'),
  compileTemplate('Connected to {upstream} as admin from {ip}', 'WARN'),
  compileTemplate('Heartbeat from build {version} in {region}', 'DEBUG'),
];

/**
 * An unexpected-service anomaly, one of two shapes:
 * - a service name never configured, on a host no service uses;
 * - a configured service logging another service's template (on its own hosts, at its usual hours),
 *   when the config has two services with distinct templates.
 */
export function drawUnexpectedService(rng: Prng, config: CompiledConfig, logTimeMs: number): LogDraft {
  if (rng.chance(0.5)) {
    const impersonation = drawImpersonation(rng, config, logTimeMs);
    if (impersonation !== undefined) return impersonation;
  }
  return drawRogueService(rng, config, logTimeMs);
}

function drawRogueService(rng: Prng, config: CompiledConfig, logTimeMs: number): LogDraft {
  const unused = ROGUE_SERVICE_NAMES.filter((name) => !config.serviceNames.has(name));
  let name = unused.length > 0 ? rng.pick(unused) : '';
  while (name === '' || config.serviceNames.has(name)) name = `svc-${rng.uint32().toString(16).padStart(8, '0')}`;
  const template = rng.pick(ROGUE_TEMPLATES);
  // Its timestamp looks ordinary: inside the usual hours of some real service.
  const timeMs = usualTime(logTimeMs, config.services.pick(rng));
  return {
    service: name,
    host: `ip-10-${rng.int(256)}-${rng.int(256)}-${rng.between(1, 254)}.unmanaged.internal`,
    level: template.level,
    message: renderTemplate(template, rng),
    timeMs,
  };
}

function drawImpersonation(rng: Prng, config: CompiledConfig, logTimeMs: number): LogDraft | undefined {
  const services = config.services.all();
  if (services.length < 2) return undefined;
  const logger = config.services.pick(rng);
  const others = services.filter((service) => service !== logger);
  const owner = rng.pick(others) as CompiledService;
  const foreign = owner.templates.all().filter((template) => !logger.templateTexts.has(template.text));
  if (foreign.length === 0) return undefined;
  return drawFromTemplate(rng, logger, rng.pick(foreign), logTimeMs);
}
