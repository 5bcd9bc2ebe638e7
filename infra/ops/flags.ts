/**
 * Command-line flags of the operator and deploy commands: `--name value`, `--name=value` and bare
 * `--switch`; everything else is a positional argument. Each flag may appear once. Every problem
 * is a ConfigError naming the flag (the CLIs exit with status 2 on it); values are quoted cut
 * to 80 characters, escaped, so hostile text cannot reshape the message.
 */
import { ConfigError } from '../../functions/shared/errors.js';

export type FlagKind = 'text' | 'switch' | 'count';

export interface FlagSpec {
  readonly kind: FlagKind;
  /** For `count`: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export type FlagValues<S extends FlagSpecs> = {
  -readonly [K in keyof S]?: S[K]['kind'] extends 'switch' ? true : S[K]['kind'] extends 'count' ? number : string;
};

export interface ParsedFlags<S extends FlagSpecs> {
  readonly flags: FlagValues<S>;
  readonly positional: readonly string[];
}

/** Longest value accepted for a text flag or positional argument (paths, URLs). */
export const maxArgumentChars = 4096;

/** Shows untrusted text inside an error message: JSON-quoted, cut to 80 characters. */
export function quoted(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * Parses `argv` against `specs` (keys without the leading dashes). `usage` is appended to every
 * error message.
 */
export function parseFlags<S extends FlagSpecs>(argv: readonly string[], specs: S, usage: string): ParsedFlags<S> {
  const flags: Record<string, string | number | true> = {};
  const positional: string[] = [];
  const fail = (message: string): never => {
    throw new ConfigError(`${message}\n${usage}`);
  };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg.length > maxArgumentChars || arg.includes('\0')) fail(`argument ${index + 1} is longer than ${maxArgumentChars} characters or holds a NUL byte`);
    if (!arg.startsWith('--') || arg === '--') {
      if (arg !== '--') positional.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    const name = equals > 0 ? arg.slice(2, equals) : arg.slice(2);
    const inline = equals > 0 ? arg.slice(equals + 1) : undefined;
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (spec === undefined) fail(`unknown option ${quoted(`--${name}`)}`);
    if (Object.hasOwn(flags, name)) fail(`--${name} was given more than once`);
    if (spec!.kind === 'switch') {
      if (inline !== undefined) fail(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) fail(`--${name} needs a value`);
    if (value!.trim() === '') fail(`--${name} must not be empty`);
    if (value!.length > maxArgumentChars || value!.includes('\0')) fail(`--${name} is longer than ${maxArgumentChars} characters or holds a NUL byte`);
    flags[name] = spec!.kind === 'count' ? parseCount(name, value!, spec!, fail) : value!;
  }
  return { flags: flags as FlagValues<S>, positional };
}

function parseCount(name: string, value: string, spec: FlagSpec, fail: (message: string) => never): number {
  const min = spec.min ?? 0;
  const max = spec.max ?? Number.MAX_SAFE_INTEGER;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min || Number(value) > max) {
    fail(`--${name} must be a whole number from ${min} to ${max} (got ${quoted(value)})`);
  }
  return Number(value);
}

/**
 * An http(s) URL with a host and no credentials, without a trailing slash; otherwise a ConfigError
 * naming `what` (followed by `usage`), which quotes the value only when it holds no credentials.
 */
export function httpEndpoint(value: string, what: string, usage = ''): string {
  const url = URL.canParse(value) ? new URL(value) : null;
  const withCredentials = url !== null && (url.username !== '' || url.password !== '');
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || withCredentials) {
    const shown = withCredentials ? 'a URL with credentials' : quoted(value);
    throw new ConfigError(`${what} must be an http:// or https:// URL such as http://127.0.0.1:4566, without credentials (got ${shown})${usage ? `\n${usage}` : ''}`);
  }
  return value.replace(/\/+$/, '');
}
