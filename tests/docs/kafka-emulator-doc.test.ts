import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allHandlers } from '../../infra/local-msk/broker/handlers/index.js';
import { ApiRegistry } from '../../infra/local-msk/broker/registry.js';
import { apiName } from '../../infra/local-msk/protocol/api-keys.js';

describe('docs/kafka-emulator.md', () => {
  it('lists exactly the API versions the broker advertises', () => {
    // Prepare
    const doc = readFileSync(new URL('../../docs/kafka-emulator.md', import.meta.url), 'utf8');
    const documented = [...doc.matchAll(/^\| (\w+) \| (\d+) \| (\d+)–(\d+) \|$/gm)].map((m) => `${m[1]} ${m[2]} ${m[3]}-${m[4]}`);

    // Act
    const advertised = new ApiRegistry(allHandlers).versionRanges().map((r) => `${apiName(r.apiKey)} ${r.apiKey} ${r.minVersion}-${r.maxVersion}`);

    // Assess
    expect(documented).toEqual(advertised);
  });
});
