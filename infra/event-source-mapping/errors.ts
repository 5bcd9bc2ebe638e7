import { ConfigError } from '../../functions/shared/errors.js';

/**
 * A function's `msk` / `kafka` event cannot become an event-source mapping. The message names
 * the function and the offending field, e.g. `function "detector", msk event: batchSize ...`.
 */
export class EventSourceMappingConfigError extends ConfigError {
  constructor(
    readonly functionName: string,
    readonly field: string,
    problem: string,
  ) {
    super(`function "${functionName}", event-source mapping field "${field}": ${problem}`);
  }
}
