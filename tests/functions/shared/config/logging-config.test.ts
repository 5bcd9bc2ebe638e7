import { describe, expect, it } from 'vitest';
import { loadLoggingConfig } from '../../../../functions/shared/config/logging-config.js';
import { ConfigError } from '../../../../functions/shared/errors.js';

describe('loadLoggingConfig', () => {
  it('logs at INFO when POWERTOOLS_LOG_LEVEL is unset or blank', () => {
    // Act
    const unset = loadLoggingConfig({});
    const blank = loadLoggingConfig({ POWERTOOLS_LOG_LEVEL: '  ' });

    // Assess
    expect(unset.level).toBe('INFO');
    expect(blank.level).toBe('INFO');
  });

  it('takes any of Powertools levels in any case', () => {
    // Act
    const levels = ['debug', 'Warn', 'ERROR', 'silent', 'trace', 'critical'].map((value) => loadLoggingConfig({ POWERTOOLS_LOG_LEVEL: value }).level);

    // Assess
    expect(levels).toEqual(['DEBUG', 'WARN', 'ERROR', 'SILENT', 'TRACE', 'CRITICAL']);
  });

  it('refuses an unknown level with a ConfigError naming the variable, the value and the levels', () => {
    // Act
    const error = (() => {
      try {
        loadLoggingConfig({ POWERTOOLS_LOG_LEVEL: 'verbose' });
      } catch (caught) {
        return caught;
      }
      return null;
    })();

    // Assess
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('invalid logging configuration: POWERTOOLS_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT (got "verbose")');
  });
});
