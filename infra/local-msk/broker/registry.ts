import { ApiKey } from '../protocol/api-keys.js';
import type { VersionCodec } from '../protocol/api.js';
import type { ApiVersionRange } from '../protocol/requests/apiVersions/index.js';
import type { ApiHandler } from './handler.js';

interface RegisteredApi {
  handler: ApiHandler;
  codecs: Map<number, VersionCodec<unknown, unknown>>;
  range: ApiVersionRange;
}

/**
 * The APIs this broker serves. The version ranges advertised by ApiVersions are
 * computed here from the codecs each handler registers, so they cannot drift from
 * what is implemented. Each API's versions must form one contiguous range.
 */
export class ApiRegistry {
  private readonly apis = new Map<number, RegisteredApi>();

  constructor(handlers: readonly ApiHandler[]) {
    for (const handler of handlers) {
      if (this.apis.has(handler.apiKey)) throw new Error(`API key ${handler.apiKey} registered twice`);
      const versions = handler.codecs.map((codec) => codec.version).sort((a, b) => a - b);
      if (versions.length === 0) throw new Error(`${handler.name} registers no version`);
      const minVersion = versions[0]!;
      const maxVersion = versions[versions.length - 1]!;
      if (maxVersion - minVersion + 1 !== new Set(versions).size || versions.length !== new Set(versions).size) {
        throw new Error(`${handler.name} versions ${versions.join(',')} are not one contiguous range`);
      }
      this.apis.set(handler.apiKey, {
        handler,
        codecs: new Map(handler.codecs.map((codec) => [codec.version, codec as VersionCodec<unknown, unknown>])),
        range: { apiKey: handler.apiKey, minVersion, maxVersion },
      });
    }
    if (!this.apis.has(ApiKey.ApiVersions)) throw new Error('ApiVersions must be registered');
  }

  /** The handler and codec for a key and version, or what is missing. */
  lookup(apiKey: number, apiVersion: number):
    | { kind: 'ok'; handler: ApiHandler; codec: VersionCodec<unknown, unknown> }
    | { kind: 'unknown-api' }
    | { kind: 'unsupported-version'; range: ApiVersionRange } {
    const api = this.apis.get(apiKey);
    if (!api) return { kind: 'unknown-api' };
    const codec = api.codecs.get(apiVersion);
    if (!codec) return { kind: 'unsupported-version', range: api.range };
    return { kind: 'ok', handler: api.handler, codec };
  }

  /** Supported ranges, ordered by API key, as ApiVersions answers them. */
  versionRanges(): ApiVersionRange[] {
    return [...this.apis.values()].map((api) => ({ ...api.range })).sort((a, b) => a.apiKey - b.apiKey);
  }
}
