import { z } from 'zod';
import { ConfigError } from '../../shared/errors.js';
import { LOG_LEVELS, MAX_HOST_CHARS, MAX_ID_CHARS, SERVICE_NAME_PATTERN, type LogLevel } from '../../shared/log/log-record.js';
import { UNUSUAL_TOKENS } from './anomalies/unusual-tokens.js';
import { formatWindow, intersectWindows, windowsOverlap, type HourWindow } from './hour-window.js';
import { compileTemplate, TemplateSyntaxError, type CompiledTemplate } from './template.js';
import { WeightedChoice } from './weighted-choice.js';

/** The "custom log generation" config: which services log what, how often, and when. */
export interface GeneratorConfig {
  services: ServiceConfig[];
  /** Where temporal anomalies are placed; must overlap no service's usual hours. Default 02–05 UTC. */
  unusualHours?: HourWindow;
}

export interface ServiceConfig {
  name: string;
  /** Relative share of normal traffic (> 0). */
  weight: number;
  hosts: string[];
  templates: TemplateConfig[];
  /** When this service logs normally (UTC). Default 07–22. */
  usualHours?: HourWindow;
}

export interface TemplateConfig {
  level: LogLevel;
  /** E.g. `'User {userId} logged in from {ip}'`; see placeholders.ts for names; `{{`/`}}` for braces. */
  text: string;
  /** Relative share within the service (> 0). */
  weight: number;
}

export const DEFAULT_USUAL_HOURS: HourWindow = { fromHour: 7, toHour: 22 };
export const DEFAULT_UNUSUAL_HOURS: HourWindow = { fromHour: 2, toHour: 5 };

const MAX_LIST = 1000;
const MAX_TEMPLATE_CHARS = 4096;
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;

const weight = z.number().finite('must be a finite number').gt(0, 'must be > 0');
const hourWindow = z
  .strictObject({
    fromHour: z.number().int('must be a whole hour').min(0, 'must be 0–23').max(23, 'must be 0–23'),
    toHour: z.number().int('must be a whole hour').min(1, 'must be 1–24').max(24, 'must be 1–24'),
  })
  .refine((window) => window.fromHour < window.toHour, 'fromHour must be before toHour (windows do not wrap midnight)');

const configSchema = z.strictObject({
  unusualHours: hourWindow.optional(),
  services: z
    .array(
      z.strictObject({
        name: z.string().min(1, 'must not be empty').max(MAX_ID_CHARS, `must be at most ${MAX_ID_CHARS} characters`).regex(SERVICE_NAME_PATTERN, 'must contain only letters, digits, ".", "_" and "-"'),
        weight,
        usualHours: hourWindow.optional(),
        hosts: z
          .array(z.string().min(1, 'must not be empty').max(MAX_HOST_CHARS, `must be at most ${MAX_HOST_CHARS} characters`).regex(NO_CONTROL, 'must not contain control characters'))
          .min(1, 'needs at least one host')
          .max(MAX_LIST, `at most ${MAX_LIST} hosts`),
        templates: z
          .array(
            z.strictObject({
              level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
              text: z.string().min(1, 'must not be empty').max(MAX_TEMPLATE_CHARS, `must be at most ${MAX_TEMPLATE_CHARS} characters`).regex(NO_CONTROL, 'must not contain control characters'),
              weight,
            }),
          )
          .min(1, 'needs at least one template')
          .max(MAX_LIST, `at most ${MAX_LIST} templates`),
      }),
    )
    .min(1, 'needs at least one service')
    .max(MAX_LIST, `at most ${MAX_LIST} services`),
});

/** A validated config, compiled for fast generation. */
export interface CompiledService {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly usualHours: HourWindow;
  readonly templates: WeightedChoice<CompiledTemplate>;
  /** The service's ERROR templates (may be empty); error spikes draw from them. */
  readonly errorTemplates: readonly CompiledTemplate[];
  /** Template texts, to tell this service's patterns from another's. */
  readonly templateTexts: ReadonlySet<string>;
  /**
   * Where a log time outside `usualHours` is folded: the hours all services share when they share
   * some (so every service folds an off-hours clock the same way), else `usualHours`.
   */
  readonly foldHours: HourWindow;
}

export interface CompiledConfig {
  readonly services: WeightedChoice<CompiledService>;
  readonly serviceNames: ReadonlySet<string>;
  readonly unusualHours: HourWindow;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text === '' ? String(part) : `${text}.${String(part)}`), '');
}

/** Validates and compiles a config; throws ConfigError listing every problem with its field path. */
export function compileGeneratorConfig(config: unknown): CompiledConfig {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((issue) => `${fieldPath(issue.path) || '(config)'}: ${issue.message.replace(/^Invalid input: /, '')}`);
    throw new ConfigError(`invalid generator config: ${problems.join('; ')}`);
  }
  const { services, unusualHours = DEFAULT_UNUSUAL_HOURS } = parsed.data;
  const problems: string[] = [];
  const names = new Set<string>();
  const compiled: Array<{ item: CompiledService; weight: number }> = [];
  const coreHours = intersectWindows(services.map((service) => service.usualHours ?? DEFAULT_USUAL_HOURS));
  services.forEach((service, serviceIndex) => {
    const where = `services[${serviceIndex}]`;
    if (names.has(service.name)) problems.push(`${where}.name: duplicate service name "${service.name}"`);
    names.add(service.name);
    const usualHours = service.usualHours ?? DEFAULT_USUAL_HOURS;
    if (windowsOverlap(usualHours, unusualHours)) {
      problems.push(`${where}.usualHours: ${formatWindow(usualHours)} overlaps unusualHours ${formatWindow(unusualHours)}, so temporal anomalies could not be told apart`);
    }
    const templates: Array<{ item: CompiledTemplate; weight: number }> = [];
    service.templates.forEach((template, templateIndex) => {
      const at = `${where}.templates[${templateIndex}].text`;
      const lower = template.text.toLowerCase();
      const token = UNUSUAL_TOKENS.find((reserved) => lower.includes(reserved.toLowerCase()));
      if (token !== undefined) problems.push(`${at}: contains "${token}", which is reserved for keyword anomalies`);
      try {
        templates.push({ item: compileTemplate(template.text, template.level), weight: template.weight });
      } catch (error) {
        if (!(error instanceof TemplateSyntaxError)) throw error;
        problems.push(`${at}: ${error.message}`);
      }
    });
    if (templates.length === service.templates.length) {
      compiled.push({
        weight: service.weight,
        item: {
          name: service.name,
          hosts: service.hosts,
          usualHours,
          templates: new WeightedChoice(templates),
          errorTemplates: templates.map((entry) => entry.item).filter((template) => template.level === 'ERROR'),
          templateTexts: new Set(service.templates.map((template) => template.text)),
          foldHours: coreHours ?? usualHours,
        },
      });
    }
  });
  if (problems.length > 0) throw new ConfigError(`invalid generator config: ${problems.slice(0, 10).join('; ')}`);
  return { services: new WeightedChoice(compiled), serviceNames: names, unusualHours };
}
