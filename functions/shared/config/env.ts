import type { z } from 'zod';
import { ConfigError } from '../errors.js';

/** The environment as Lambda hands it over: variable names to string values. */
export type Env = Readonly<Record<string, string | undefined>>;

/** A zod schema that turns one variable's (trimmed, non-empty) text into a value. */
export type VariableSchema<T> = z.ZodType<T, string>;

export interface ReadOptions {
  /** Never echo the value in an error message (passwords, URLs that may carry one). */
  secret?: boolean;
}

/** Values longer than this are cut when an error message quotes them. */
const quotedValueChars = 40;

/**
 * Reads one concern's variables from an env object and collects every problem, so a
 * misconfigured function reports all of them at once. Empty or blank values count as unset.
 * Error messages name the variable and quote its value only when it is not secret.
 */
export class EnvReader {
  private readonly problems: string[] = [];

  constructor(
    private readonly env: Env,
    /** e.g. "Kafka", "database": names the concern in the error message. */
    private readonly concern: string,
  ) {}

  /** The trimmed value, or undefined when unset or blank. */
  text(name: string): string | undefined {
    const value = this.env[name];
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /** True when the variable is set to something non-blank. */
  has(name: string): boolean {
    return this.text(name) !== undefined;
  }

  /** Parses the variable with `schema`; `fallback` when unset; undefined (and a problem) when invalid. */
  read<T>(name: string, schema: VariableSchema<T>, fallback: T, options?: ReadOptions): T;
  read<T>(name: string, schema: VariableSchema<T>, fallback?: undefined, options?: ReadOptions): T | undefined;
  read<T>(name: string, schema: VariableSchema<T>, fallback?: T, options: ReadOptions = {}): T | undefined {
    const value = this.text(name);
    if (value === undefined) return fallback;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const message = result.error.issues[0]?.message ?? 'is invalid';
    this.problem(name, message, options.secret ? undefined : value);
    return fallback;
  }

  /** Like read, but a missing value is a problem too. */
  require<T>(name: string, schema: VariableSchema<T>, options: ReadOptions = {}): T | undefined {
    if (!this.has(name)) {
      this.problem(name, 'is required but not set');
      return undefined;
    }
    return this.read(name, schema, undefined, options);
  }

  /** Records a problem with `name`; `shownValue` is quoted (shortened, escaped) when given. */
  problem(name: string, message: string, shownValue?: string): void {
    this.problems.push(shownValue === undefined ? `${name} ${message}` : `${name} ${message} (got ${quote(shownValue)})`);
  }

  /** Throws one ConfigError listing every problem, or returns `build()` frozen. */
  finish<T extends object>(build: () => T): Readonly<T> {
    if (this.problems.length > 0) {
      throw new ConfigError(`invalid ${this.concern} configuration: ${this.problems.join('; ')}`);
    }
    return Object.freeze(build());
  }
}

/** JSON-quotes a value (escaping control characters), cut to a readable length. */
function quote(value: string): string {
  const cut = value.length > quotedValueChars ? `${value.slice(0, quotedValueChars)}…` : value;
  return JSON.stringify(cut);
}
