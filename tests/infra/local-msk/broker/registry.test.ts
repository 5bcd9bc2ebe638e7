import { describe, expect, it } from 'vitest';
import type { ApiHandler } from '../../../../infra/local-msk/broker/handler.js';
import { allHandlers } from '../../../../infra/local-msk/broker/handlers/index.js';
import { ApiRegistry } from '../../../../infra/local-msk/broker/registry.js';
import { ApiKey } from '../../../../infra/local-msk/protocol/api-keys.js';
import { apiVersionsCodecs } from '../../../../infra/local-msk/protocol/requests/apiVersions/index.js';

const fakeHandler = (apiKey: number, versions: number[]): ApiHandler => ({
  apiKey,
  name: `api${apiKey}`,
  codecs: versions.map((version) => ({ version, decodeRequest: () => ({}), encodeResponse: () => {} })),
  handle: () => ({}),
});

describe('ApiRegistry', () => {
  it('advertises exactly the versions whose codecs are registered', () => {
    // Prepare
    const registry = new ApiRegistry(allHandlers);

    // Act
    const ranges = registry.versionRanges();

    // Assess: one range per handler, each equal to its codecs' min..max
    expect(ranges).toHaveLength(allHandlers.length);
    for (const handler of allHandlers) {
      const versions = handler.codecs.map((codec) => codec.version);
      expect(ranges).toContainEqual({ apiKey: handler.apiKey, minVersion: Math.min(...versions), maxVersion: Math.max(...versions) });
    }
    expect(ranges.find((range) => range.apiKey === ApiKey.ApiVersions)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: apiVersionsCodecs.length - 1 });
  });

  it('tells an unknown API from an unsupported version', () => {
    // Prepare
    const registry = new ApiRegistry(allHandlers);

    // Act / Assess
    expect(registry.lookup(9999, 0).kind).toBe('unknown-api');
    expect(registry.lookup(ApiKey.ApiVersions, 3)).toEqual({ kind: 'unsupported-version', range: { apiKey: 18, minVersion: 0, maxVersion: 2 } });
    expect(registry.lookup(ApiKey.ApiVersions, 1).kind).toBe('ok');
  });

  it('refuses a gap in a version range, a duplicate key and a missing ApiVersions', () => {
    // Act / Assess
    expect(() => new ApiRegistry([...allHandlers, fakeHandler(1000, [0, 2])])).toThrow(/contiguous/);
    expect(() => new ApiRegistry([...allHandlers, fakeHandler(ApiKey.ApiVersions, [0])])).toThrow(/twice/);
    expect(() => new ApiRegistry([fakeHandler(1000, [0])])).toThrow(/ApiVersions/);
  });
});
