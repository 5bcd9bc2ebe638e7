import type { CompiledConfig, CompiledService } from '../generator-config.js';
import type { LogDraft } from '../log-draft.js';
import { drawFromTemplate } from '../normal-log.js';
import type { Prng } from '../prng.js';
import { compileTemplate, type CompiledTemplate } from '../template.js';

/** An error spike is this many consecutive ERROR records from one service (inclusive bounds). */
export const ERROR_SPIKE_MIN_RECORDS = 6;
export const ERROR_SPIKE_MAX_RECORDS = 14;
/** Mean spike length, used to hold the requested anomaly rate. */
export const ERROR_SPIKE_MEAN_RECORDS = (ERROR_SPIKE_MIN_RECORDS + ERROR_SPIKE_MAX_RECORDS) / 2;

/** Used when a service has no ERROR template of its own. */
const GENERIC_ERROR_TEMPLATES: readonly CompiledTemplate[] = [
  compileTemplate('Request {requestId} failed: {upstream} returned {errorStatus} after {durationMs}ms', 'ERROR'),
  compileTemplate('Connection pool exhausted: waited {durationMs}ms for {upstream}', 'ERROR'),
  compileTemplate('Unhandled error while processing {method} {path}: status {errorStatus}', 'ERROR'),
];

/** A spike in progress: the generator emits `remaining` more records from it, one per call. */
export interface ErrorSpike {
  readonly service: CompiledService;
  readonly templates: readonly CompiledTemplate[];
  remaining: number;
}

export function startErrorSpike(rng: Prng, config: CompiledConfig): ErrorSpike {
  const service = config.services.pick(rng);
  return {
    service,
    templates: service.errorTemplates.length > 0 ? service.errorTemplates : GENERIC_ERROR_TEMPLATES,
    remaining: rng.between(ERROR_SPIKE_MIN_RECORDS, ERROR_SPIKE_MAX_RECORDS),
  };
}

/** The spike's next ERROR record; decrements `remaining`. */
export function drawSpikeRecord(rng: Prng, spike: ErrorSpike, logTimeMs: number): LogDraft {
  spike.remaining -= 1;
  return drawFromTemplate(rng, spike.service, rng.pick(spike.templates), logTimeMs);
}
