import { EventSourceMappingConfigError } from './errors.js';
import type { ServiceFunction } from './offline-plugin/collect-definitions.js';

/** What the standalone mapping needs from a resolved serverless configuration (`serverless print --format json`). */
export interface ResolvedService {
  service: string;
  stage: string;
  region: string;
  functions: ServiceFunction[];
  /** Function key → the deployed function's name (osls: `${service}-${stage}-${key}` unless `name` is set). */
  deployedNames: ReadonlyMap<string, string>;
}

/** Largest configuration file read, in bytes. */
export const maxConfigBytes = 5 * 1024 * 1024;

/**
 * Reads `serverless print --format json` output. The stage is the configuration's provider.stage
 * unless `stageOverride` is given (print resolves `${sls:stage}` with the stage it ran with).
 * Throws EventSourceMappingConfigError naming what is missing or malformed.
 */
export function parseResolvedService(text: string, stageOverride?: string): ResolvedService {
  const fail = (problem: string): never => {
    throw new EventSourceMappingConfigError('*', 'config', problem);
  };
  if (text.length === 0) fail('is empty');
  if (Buffer.byteLength(text) > maxConfigBytes) fail(`is larger than ${maxConfigBytes} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`is not JSON (${(error as Error).message}); generate it with \`npx serverless print --format json --stage <stage>\``);
  }
  if (!isObject(raw)) return fail('must be a JSON object (the output of serverless print --format json)');
  const service = typeof raw.service === 'string' ? raw.service : isObject(raw.service) && typeof raw.service.name === 'string' ? raw.service.name : fail('has no service name');
  const provider = isObject(raw.provider) ? raw.provider : {};
  const stage = stageOverride ?? (typeof provider.stage === 'string' ? provider.stage : 'dev');
  const region = typeof provider.region === 'string' ? provider.region : 'us-east-1';
  if (!isObject(raw.functions)) return fail('has no functions');
  const functions: ServiceFunction[] = [];
  const deployedNames = new Map<string, string>();
  for (const [key, fn] of Object.entries(raw.functions)) {
    if (!isObject(fn)) fail(`function "${key}" is not an object`);
    const definition = fn as Record<string, unknown>;
    const events = Array.isArray(definition.events) ? definition.events : [];
    functions.push({ key, events });
    deployedNames.set(key, typeof definition.name === 'string' && definition.name !== '' ? definition.name : `${service}-${stage}-${key}`);
  }
  return { service, stage, region, functions, deployedNames };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
