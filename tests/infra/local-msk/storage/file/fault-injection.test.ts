import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../../infra/local-msk/errors.js';
import { parseStorageFaults } from '../../../../../infra/local-msk/storage/file/fault-injection.js';

describe('parseStorageFaults (LOCAL_MSK_TEST_STORAGE_FAULTS, test-only)', () => {
  it('reads one fault per partition and treats unset or blank as none', () => {
    // Act
    const plan = parseStorageFaults('logs-0=fail@100, metrics-2=hang@0');

    // Assess
    expect([...plan]).toEqual([
      ['logs-0', { action: 'fail', afterBytes: 100 }],
      ['metrics-2', { action: 'hang', afterBytes: 0 }],
    ]);
    expect(parseStorageFaults(undefined).size).toBe(0);
    expect(parseStorageFaults('  ').size).toBe(0);
  });

  it.each(['logs-0', 'logs-0=explode@1', 'logs-0=fail@-1', 'logs-0=fail@1e3', `${'x'.repeat(500)}=fail`, '=fail@1'])('refuses %j with a ConfigError that quotes it cut short', (value) => {
    // Act / Assess
    expect(() => parseStorageFaults(value)).toThrow(ConfigError);
    try {
      parseStorageFaults(value);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(250);
    }
  });
});
