/**
 * Minimal runtime checks for the data objects: the page trusts nothing it downloads. Each check
 * names the object and the field at fault, so a malformed object produces a readable message.
 */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export type Json = unknown;

export class Shape {
  constructor(
    /** e.g. "data/realtime.json": named in every message. */
    readonly source: string,
  ) {}

  fail(path: string, expected: string, value: Json): never {
    const got = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value;
    throw new DataError(`${this.source} is malformed: ${path} should be ${expected} but is ${got}`);
  }

  object(value: Json, path: string): Record<string, Json> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'an object', value);
    return value as Record<string, Json>;
  }

  array(value: Json, path: string, maxItems = 10_000): Json[] {
    if (!Array.isArray(value)) this.fail(path, 'a list', value);
    if (value.length > maxItems) throw new DataError(`${this.source} is malformed: ${path} has ${value.length} items (at most ${maxItems} expected)`);
    return value;
  }

  number(value: Json, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, 'a number', value);
    return value;
  }

  numberOrNull(value: Json, path: string): number | null {
    return value === null ? null : this.number(value, path);
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string') this.fail(path, 'text', value);
    return value;
  }

  stringOrNull(value: Json, path: string): string | null {
    return value === null || value === undefined ? null : this.string(value, path);
  }

  boolean(value: Json, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, 'true or false', value);
    return value;
  }

  /** The object's `schema` must be one this page understands and its `kind` the one asked for. */
  header(value: Json, kind: string, schema: number): Record<string, Json> {
    const object = this.object(value, 'the object');
    if (object.kind !== kind) throw new DataError(`${this.source} is malformed: it is not a ${kind} object (kind ${JSON.stringify(object.kind ?? null)})`);
    if (object.schema !== schema) {
      throw new DataError(`${this.source} has data schema ${JSON.stringify(object.schema ?? null)}; this page reads schema ${schema}: redeploy the dashboard (npm run dashboard:deploy)`);
    }
    this.string(object.generatedAt, 'generatedAt');
    return object;
  }
}
