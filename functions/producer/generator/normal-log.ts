import type { CompiledService } from './generator-config.js';
import { foldIntoWindow, isInWindow } from './hour-window.js';
import type { LogDraft } from './log-draft.js';
import type { Prng } from './prng.js';
import { renderTemplate, type CompiledTemplate } from './template.js';

/**
 * The diurnal pattern: a service logs only inside its usual hours. A log time inside them is kept;
 * one outside is folded into the service's `foldHours` (always inside its usual hours).
 */
export function usualTime(logTimeMs: number, service: CompiledService): number {
  return isInWindow(logTimeMs, service.usualHours) ? logTimeMs : foldIntoWindow(logTimeMs, service.foldHours);
}

/** A normal record of `service`: one of its templates by weight, one of its hosts, at a usual hour. */
export function drawNormalLog(rng: Prng, service: CompiledService, logTimeMs: number): LogDraft {
  return drawFromTemplate(rng, service, service.templates.pick(rng), logTimeMs);
}

export function drawFromTemplate(rng: Prng, service: CompiledService, template: CompiledTemplate, logTimeMs: number): LogDraft {
  return {
    service: service.name,
    host: rng.pick(service.hosts),
    level: template.level,
    message: renderTemplate(template, rng),
    timeMs: usualTime(logTimeMs, service),
  };
}
