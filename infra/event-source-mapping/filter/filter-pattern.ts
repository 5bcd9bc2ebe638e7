/**
 * Lambda event-filtering patterns for Kafka sources (the subset AWS documents for event-source
 * mappings): a pattern is a JSON object whose leaves are arrays of matchers; a record passes when
 * any pattern matches. Matchers: a string, number or null (equality), and objects
 * { prefix }, { suffix }, { "equals-ignore-case" }, { "anything-but": value | [values] },
 * { numeric: [op, n (, op, n)] }, { exists: boolean }.
 */

export type Matcher =
  | { kind: 'equals'; value: string | number | null }
  | { kind: 'prefix'; value: string }
  | { kind: 'suffix'; value: string }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'anything-but'; values: ReadonlyArray<string | number | null> }
  | { kind: 'numeric'; bounds: ReadonlyArray<{ op: NumericOp; value: number }> }
  | { kind: 'exists'; value: boolean };

export type NumericOp = '=' | '<' | '<=' | '>' | '>=';

/** A field path's matchers (OR) or nested fields (AND). */
export interface FilterPattern {
  readonly fields: ReadonlyMap<string, FilterPattern | readonly Matcher[]>;
}

/** AWS: at most 5 filters per mapping (10 with a quota raise), 4,096 characters per pattern. */
export const filterLimits = Object.freeze({ maxPatterns: 10, maxPatternChars: 4096, maxDepth: 10 });

const numericOps: readonly NumericOp[] = ['=', '<', '<=', '>', '>='];

/**
 * osls's `filterPatterns` (an array of objects, or of `{ pattern: "<json>" }` as CloudFormation
 * writes them) → validated patterns. Throws Error with a message naming the problem.
 */
export function parseFilterPatterns(raw: unknown): FilterPattern[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > filterLimits.maxPatterns) {
    throw new Error(`must be a list of 1-${filterLimits.maxPatterns} filter patterns`);
  }
  return raw.map((entry, index) => {
    let pattern: unknown = entry;
    if (isObject(entry) && typeof entry.pattern === 'string' && Object.keys(entry).length === 1) {
      try {
        pattern = JSON.parse(entry.pattern);
      } catch {
        throw new Error(`[${index}].pattern is not valid JSON`);
      }
    }
    if (JSON.stringify(pattern ?? null).length > filterLimits.maxPatternChars) throw new Error(`[${index}] is longer than ${filterLimits.maxPatternChars} characters`);
    return parseObject(pattern, `[${index}]`, 0);
  });
}

function parseObject(raw: unknown, path: string, depth: number): FilterPattern {
  if (!isObject(raw) || Object.keys(raw).length === 0) throw new Error(`${path} must be a non-empty object of fields`);
  if (depth >= filterLimits.maxDepth) throw new Error(`${path} nests deeper than ${filterLimits.maxDepth} levels`);
  const fields = new Map<string, FilterPattern | readonly Matcher[]>();
  for (const [name, value] of Object.entries(raw)) {
    const where = `${path}.${name}`;
    fields.set(name, Array.isArray(value) ? parseMatchers(value, where) : parseObject(value, where, depth + 1));
  }
  return { fields };
}

function parseMatchers(list: unknown[], path: string): Matcher[] {
  if (list.length === 0) throw new Error(`${path} must list at least one value or matcher`);
  return list.map((item) => parseMatcher(item, path));
}

function parseMatcher(item: unknown, path: string): Matcher {
  if (item === null || typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item))) return { kind: 'equals', value: item };
  if (!isObject(item) || Object.keys(item).length !== 1) throw new Error(`${path}: a matcher is a string, number, null or an object with one operator`);
  const [op, arg] = Object.entries(item)[0] as [string, unknown];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof arg !== 'string') throw new Error(`${path}: ${op} takes a string`);
      return { kind: op, value: arg };
    case 'anything-but': {
      const values = Array.isArray(arg) ? arg : [arg];
      if (values.length === 0 || !values.every((v) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) {
        throw new Error(`${path}: anything-but takes a value or a list of strings/numbers`);
      }
      return { kind: 'anything-but', values };
    }
    case 'numeric':
      return { kind: 'numeric', bounds: parseNumeric(arg, path) };
    case 'exists':
      if (typeof arg !== 'boolean') throw new Error(`${path}: exists takes true or false`);
      return { kind: 'exists', value: arg };
    default:
      throw new Error(`${path}: unknown matcher "${op.slice(0, 40)}"`);
  }
}

function parseNumeric(arg: unknown, path: string): Array<{ op: NumericOp; value: number }> {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) throw new Error(`${path}: numeric takes [op, n] or [op, n, op, n]`);
  const bounds: Array<{ op: NumericOp; value: number }> = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const value = arg[i + 1];
    if (!numericOps.includes(op as NumericOp) || typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`${path}: numeric takes operators ${numericOps.join(' ')} each followed by a finite number`);
    }
    bounds.push({ op: op as NumericOp, value });
  }
  return bounds;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
