import { describe, expect, it } from 'vitest';
import { ConfigError, InfrastructureError, ValidationError } from '../../../../functions/shared/errors.js';
import { createPool, databaseConnectionFromEnv, redactSecrets, toPipelineError } from '../../../../functions/shared/db/index.js';

const PARTS = { POSTGRES_HOST: 'db.internal', POSTGRES_DB: 'pipeline', POSTGRES_USER: 'app', POSTGRES_PASSWORD: 'hunter2-secret' };

describe('databaseConnectionFromEnv', () => {
  it('prefers DATABASE_URL', () => {
    // Act
    const connection = databaseConnectionFromEnv({ ...PARTS, DATABASE_URL: 'postgres://u:p@h:5433/d' });

    // Assess
    expect(connection).toEqual({ connectionString: 'postgres://u:p@h:5433/d' });
  });

  it('builds the connection from POSTGRES_* parts, port defaulting to 5432', () => {
    // Act
    const defaults = databaseConnectionFromEnv(PARTS);
    const explicit = databaseConnectionFromEnv({ ...PARTS, POSTGRES_PORT: '6543', POSTGRES_SSL: 'true' });

    // Assess
    expect(defaults).toEqual({ host: 'db.internal', port: 5432, database: 'pipeline', user: 'app', password: 'hunter2-secret' });
    expect(explicit).toMatchObject({ port: 6543, ssl: true });
  });

  it.each([
    [{}, /set DATABASE_URL, or all of POSTGRES_HOST, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD .*missing: POSTGRES_HOST, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD/],
    [{ ...PARTS, POSTGRES_HOST: '  ' }, /missing: POSTGRES_HOST$/],
    [{ ...PARTS, POSTGRES_PORT: '70000' }, /POSTGRES_PORT must be an integer between 1 and 65535 \(got "70000"\)/],
    [{ ...PARTS, POSTGRES_PORT: '54x' }, /POSTGRES_PORT must be an integer/],
    [{ ...PARTS, POSTGRES_SSL: 'yes' }, /POSTGRES_SSL must be "true" or "false"/],
    [{ DATABASE_URL: 'mysql://u:hunter2-secret@h/d' }, /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\//],
    [{ DATABASE_URL: 'not a url hunter2-secret' }, /DATABASE_URL is not a valid URL/],
  ])('refuses a bad environment clearly, without echoing secrets (%#)', (env, message) => {
    // Act
    const act = (): unknown => databaseConnectionFromEnv(env);

    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
    try {
      act();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2-secret');
    }
  });
});

describe('createPool', () => {
  it('refuses invalid options with ConfigError', () => {
    // Prepare
    const base = { connectionString: 'postgres://u:p@localhost/d' };

    // Act + Assess
    expect(() => createPool({ ...base, max: 0 })).toThrow(/pool option max must be an integer in \[1, 100\]/);
    expect(() => createPool({ ...base, statementTimeoutMs: -1 })).toThrow(ConfigError);
    expect(() => createPool({ connectionString: 'http://x' })).toThrow(/must start with postgres:\/\//);
    expect(() => createPool({ host: '', port: 5432, database: 'd', user: 'u', password: 'p' })).toThrow(/database host must not be empty/);
    expect(() => createPool({ host: 'h', port: 0, database: 'd', user: 'u', password: 'p' })).toThrow(/pool option port/);
  });

  it('is sized for Lambda by default', async () => {
    // Act
    const pool = createPool({ connectionString: 'postgres://u:p@localhost/d' });

    // Assess
    expect(pool.options.max).toBe(2);
    expect(pool.options.statement_timeout).toBe(15_000);
    await pool.end();
  });
});

describe('error mapping', () => {
  it('redacts passwords in URLs and key=value pairs', () => {
    // Act
    const text = redactSecrets('connect postgres://app:s3cr3t@db:5432/x failed; password=s3cr3t other');

    // Assess
    expect(text).toBe('connect postgres://app:***@db:5432/x failed; password=*** other');
  });

  it('maps data errors to ValidationError and everything else to InfrastructureError', () => {
    // Prepare
    const dataError = Object.assign(new Error('invalid input syntax for type json'), { code: '22P02' });
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const aggregate = new AggregateError([network, Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], '');

    // Act
    const mapped = [toPipelineError('op', dataError), toPipelineError('op', network), toPipelineError('op', aggregate)];

    // Assess
    expect(mapped[0]).toBeInstanceOf(ValidationError);
    expect(mapped[1]).toBeInstanceOf(InfrastructureError);
    expect(mapped[2]).toBeInstanceOf(InfrastructureError);
    expect(mapped[2]!.message).toBe('op: PostgreSQL failed: connect ECONNREFUSED 127.0.0.1:5432; connect ECONNREFUSED ::1:5432');
    expect(mapped.every((error) => error.cause !== undefined)).toBe(true);
  });
});
