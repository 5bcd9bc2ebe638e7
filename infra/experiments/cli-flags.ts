import { ExperimentUsageError } from './errors.js';

/** A flag's spelling and whether it takes a value. */
export interface FlagSpec {
  readonly name: string;
  readonly takesValue: boolean;
}

export interface SplitArgs {
  readonly positionals: string[];
  /** Flag name → its value ('' for switches). A flag given twice is an error. */
  readonly flags: Map<string, string>;
}

const maxArgs = 200;
const maxArgChars = 1000;

/**
 * Splits argv into positionals and known flags (`--flag value`, `--flag=value`, switches).
 * Unknown flags, missing values, repeats, oversize or control-character input → ExperimentUsageError.
 */
export function splitArgs(argv: readonly string[], specs: readonly FlagSpec[]): SplitArgs {
  if (argv.length > maxArgs) throw new ExperimentUsageError(`too many arguments (${argv.length}; at most ${maxArgs})`);
  const known = new Map(specs.map((spec) => [spec.name, spec]));
  const positionals: string[] = [];
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg.length > maxArgChars || /[\u0000-\u001f\u007f]/.test(arg)) {
      throw new ExperimentUsageError(`argument ${index + 1} is over ${maxArgChars} characters or holds control characters`);
    }
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(0, equals) : arg;
    const spec = known.get(name);
    if (spec === undefined) throw new ExperimentUsageError(`unknown option ${JSON.stringify(name.slice(0, 60))}`);
    if (flags.has(name)) throw new ExperimentUsageError(`${name} is given twice`);
    if (!spec.takesValue) {
      if (equals > 0) throw new ExperimentUsageError(`${name} takes no value`);
      flags.set(name, '');
      continue;
    }
    const value = equals > 0 ? arg.slice(equals + 1) : argv[++index];
    if (value === undefined || value === '' || (equals < 0 && value.startsWith('--'))) throw new ExperimentUsageError(`${name} needs a value`);
    flags.set(name, value);
  }
  return { positionals, flags };
}

/** A whole number in [min, max] from `text`, or ExperimentUsageError naming `what`. */
export function wholeNumber(text: string, what: string, min: number, max: number): number {
  if (!/^\d{1,10}$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ExperimentUsageError(`${what} must be a whole number from ${min} to ${max} (got ${JSON.stringify(text.slice(0, 40))})`);
  }
  return Number(text);
}

/** A decimal number in [min, max] from `text`, or ExperimentUsageError naming `what`. */
export function decimalNumber(text: string, what: string, min: number, max: number): number {
  const value = /^(\d{1,9}(\.\d{1,9})?|\.\d{1,9})$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ExperimentUsageError(`${what} must be a number from ${min} to ${max} (got ${JSON.stringify(text.slice(0, 40))})`);
  }
  return value;
}
