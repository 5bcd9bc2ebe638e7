import { parseMappingDefinition, type MappingDefinition } from '../mapping-definition.js';

/** One function of serverless.yml as osls resolved it: its key and its `events` list. */
export interface ServiceFunction {
  key: string;
  events: readonly unknown[];
}

/** The Kafka triggers of a service: every `msk` and `kafka` event, in function then event order. */
export function collectMappingDefinitions(service: string, stage: string, functions: readonly ServiceFunction[]): MappingDefinition[] {
  const definitions: MappingDefinition[] = [];
  for (const fn of functions) {
    for (const event of fn.events) {
      if (!isKafkaEvent(event)) continue;
      definitions.push(parseMappingDefinition(event, { service, stage, functionName: fn.key }));
    }
  }
  return definitions;
}

function isKafkaEvent(event: unknown): boolean {
  return typeof event === 'object' && event !== null && ('msk' in event || 'kafka' in event);
}
