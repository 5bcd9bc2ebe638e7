import type { CompiledConfig } from '../generator-config.js';
import { HOUR_MS, utcDayStart } from '../hour-window.js';
import type { LogDraft } from '../log-draft.js';
import { drawNormalLog } from '../normal-log.js';
import type { Prng } from '../prng.js';

/**
 * A temporal anomaly: an otherwise normal record of a known service, timestamped inside the
 * config's unusual hours (default 02:00–05:00 UTC) on the same UTC day, when no service logs.
 */
export function drawTemporalAnomaly(rng: Prng, config: CompiledConfig, logTimeMs: number): LogDraft {
  const normal = drawNormalLog(rng, config.services.pick(rng), logTimeMs);
  const { fromHour, toHour } = config.unusualHours;
  const offset = fromHour * HOUR_MS + rng.int((toHour - fromHour) * HOUR_MS);
  return { ...normal, timeMs: utcDayStart(normal.timeMs) + offset };
}
