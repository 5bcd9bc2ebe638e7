import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeDatabaseConfig, loadDatabaseConfig } from '../../../../functions/shared/config/database-config.js';
import { ConfigError } from '../../../../functions/shared/errors.js';

const secret = 'S3cr3t-pa55:w/rd@x';

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadDatabaseConfig', () => {
  it('applies the defaults when nothing is set', () => {
    // Act
    const config = loadDatabaseConfig({});

    // Assess
    expect(config).toMatchObject({ host: 'localhost', port: 5432, database: 'log_anomaly', user: 'postgres', password: undefined, ssl: false, max: 1, connectionTimeoutMillis: 5000 });
  });

  it('reads the discrete POSTGRES_* variables and hides the password behind a function', () => {
    // Act
    const config = loadDatabaseConfig({
      POSTGRES_HOST: 'db.internal.example',
      POSTGRES_PORT: '6543',
      POSTGRES_DB: 'anomalies',
      POSTGRES_USER: 'detector',
      POSTGRES_PASSWORD: secret,
      POSTGRES_SSL: 'true',
      POSTGRES_POOL_MAX: '2',
    });

    // Assess
    expect(config).toMatchObject({ host: 'db.internal.example', port: 6543, database: 'anomalies', user: 'detector', ssl: true, max: 2 });
    expect(config.password?.()).toBe(secret);
    expect(JSON.stringify(config)).not.toContain(secret);
    expect(inspect(config, { depth: 5 })).not.toContain(secret);
    expect(describeDatabaseConfig(config)).toBe('postgres://detector@db.internal.example:6543/anomalies');
  });

  it('reads DATABASE_URL with percent-encoded parts, sslmode and an IPv6 host', () => {
    // Act
    const config = loadDatabaseConfig({ DATABASE_URL: `postgresql://log%20writer:${encodeURIComponent(secret)}@[::1]:5433/log_anomaly?sslmode=require` });

    // Assess
    expect(config).toMatchObject({ host: '::1', port: 5433, database: 'log_anomaly', user: 'log writer', ssl: true });
    expect(config.password?.()).toBe(secret);
    expect(describeDatabaseConfig(config)).toBe('postgres://log%20writer@[::1]:5433/log_anomaly');
  });

  it('lets DATABASE_URL win over POSTGRES_*, except that POSTGRES_PASSWORD fills a missing password', () => {
    // Act
    const config = loadDatabaseConfig({ DATABASE_URL: 'postgres://app@db:5432/logs', POSTGRES_HOST: 'ignored', POSTGRES_PASSWORD: secret });

    // Assess
    expect(config).toMatchObject({ host: 'db', user: 'app', database: 'logs' });
    expect(config.password?.()).toBe(secret);
  });

  it.each([
    ['mysql://u:pw@db/logs', 'must be a URL of the form postgres://'],
    ['not a url at all', 'must be a URL of the form postgres://'],
    ['postgres://u:pw@db:5432/', 'has no database name'],
    ['postgres://u:%E0%A4%A@db/logs', 'has invalid percent-encoding'],
    ['postgres://u:pw@db/logs?sslmode=always', 'has an sslmode that is not one of'],
  ])('rejects DATABASE_URL %j without echoing it', (url, expected) => {
    // Act
    const error = configError(() => loadDatabaseConfig({ DATABASE_URL: url }));

    // Assess
    expect(error.message).toContain(`DATABASE_URL ${expected}`);
    expect(error.message).not.toContain(url);
    expect(error.message).not.toContain('pw');
    expect(error.cause).toBeUndefined();
  });

  it('never echoes the password in any message, even when the password itself is invalid', () => {
    // Prepare
    const tooLong = `${secret}${'x'.repeat(1100)}`;

    // Act
    const invalidPassword = configError(() => loadDatabaseConfig({ POSTGRES_PASSWORD: tooLong, POSTGRES_PORT: 'abc' }));
    const invalidUrl = configError(() => loadDatabaseConfig({ DATABASE_URL: `postgres://admin:${secret}@db:99999/logs` }));

    // Assess
    expect(invalidPassword.message).toContain('POSTGRES_PASSWORD must be a password without NUL characters (at most 1024 characters)');
    expect(invalidPassword.message).toContain('POSTGRES_PORT must be a whole number from 1 to 65535 (got "abc")');
    expect(invalidPassword.message).not.toContain('S3cr3t');
    expect(invalidUrl.message).toContain('DATABASE_URL');
    expect(invalidUrl.message).not.toContain('S3cr3t');
    expect(invalidUrl.message).not.toContain('admin');
  });

  it.each([
    ['POSTGRES_HOST', 'db host; DROP'],
    ['POSTGRES_DB', 'logs\u0000'],
    ['POSTGRES_USER', 'a'.repeat(64)],
    ['POSTGRES_PORT', '0'],
    ['POSTGRES_POOL_MAX', '1000'],
    ['POSTGRES_SSL', 'sometimes'],
  ])('rejects %s=%j, naming the variable', (name, value) => {
    // Act
    const error = configError(() => loadDatabaseConfig({ [name]: value }));

    // Assess
    expect(error.message).toMatch(new RegExp(`^invalid database configuration: ${name} must`));
  });
});
