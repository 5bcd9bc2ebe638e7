import { createServer, type Server } from 'node:http';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadDatabaseSecretConfig } from '../../../../functions/shared/config/database-secret-config.js';
import { databaseEnvAtRunTime, forgetDatabaseSecrets, loadDatabaseConfigAtRunTime, secretsManagerSource, type SecretSource } from '../../../../functions/shared/config/database-secret.js';
import { ConfigError, InfrastructureError } from '../../../../functions/shared/errors.js';

const password = 'Pa55-w0rd-never-logged';
const url = `postgres://app:${password}@db.cluster-xyz.eu-west-1.rds.amazonaws.com:5432/log_anomaly?sslmode=require`;

/**
 * Secrets Manager cannot run here: a small HTTP server answers GetSecretValue in its JSON protocol
 * (X-Amz-Target secretsmanager.GetSecretValue), so the real SDK client, signing and parsing included,
 * is what the code under test talks to.
 */
describe('the database secret read at run time', () => {
  let server: Server;
  let endpoint: string;
  let secrets: Record<string, string | null>;
  const requests: Array<{ target: string | undefined; secretId: string }> = [];
  let client: SecretsManagerClient;
  let source: SecretSource;

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        requests.push({ target: request.headers['x-amz-target'] as string | undefined, secretId: SecretId });
        const json = (status: number, payload: unknown) => response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
        if (!(SecretId in secrets)) return json(400, { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." });
        const value = secrets[SecretId];
        return json(200, { ARN: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${SecretId}-AbCdEf`, Name: SecretId, ...(value === null ? { SecretBinary: 'AAEC' } : { SecretString: value }) });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    client = new SecretsManagerClient({ region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
    source = secretsManagerSource(client);
  });

  afterEach(() => {
    forgetDatabaseSecrets();
    requests.length = 0;
  });

  afterAll(async () => {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fills DATABASE_URL from the secret, asks Secrets Manager once per container, and leaves the environment object alone', async () => {
    // Prepare
    secrets = { 'log-anomaly/aws/database': JSON.stringify({ url }) };
    const env = { DATABASE_SECRET_ID: 'log-anomaly/aws/database', POSTGRES_POOL_MAX: '3' };

    // Act
    const first = await databaseEnvAtRunTime(env, source);
    const config = await loadDatabaseConfigAtRunTime(env, source);

    // Assess
    expect(first).toEqual({ ...env, DATABASE_URL: url });
    expect(env).not.toHaveProperty('DATABASE_URL');
    expect(config).toMatchObject({ host: 'db.cluster-xyz.eu-west-1.rds.amazonaws.com', port: 5432, database: 'log_anomaly', user: 'app', ssl: true, max: 3 });
    expect(config.password?.()).toBe(password);
    expect(requests).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: 'log-anomaly/aws/database' }]);
  });

  it('returns the environment as it is when no secret is named (DATABASE_URL locally)', async () => {
    // Prepare
    const env = { DATABASE_URL: 'postgres://postgres:postgres@postgres:5432/log_anomaly', DATABASE_SECRET_ID: '' };

    // Act
    const resolved = await databaseEnvAtRunTime(env, source);

    // Assess
    expect(resolved).toBe(env);
    expect(requests).toEqual([]);
  });

  it('says which secret could not be read, and retries on the next invocation', async () => {
    // Prepare
    secrets = {};
    const env = { DATABASE_SECRET_ID: 'log-anomaly/aws/missing' };

    // Act
    const failure = await databaseEnvAtRunTime(env, source).catch((error: unknown) => error);
    secrets = { 'log-anomaly/aws/missing': JSON.stringify({ url }) };
    const recovered = await databaseEnvAtRunTime(env, source);

    // Assess
    expect(failure).toBeInstanceOf(InfrastructureError);
    expect((failure as Error).message).toMatch(/could not read the database secret log-anomaly\/aws\/missing from Secrets Manager: ResourceNotFoundException/);
    expect(recovered.DATABASE_URL).toBe(url);
    expect(requests).toHaveLength(2);
  });

  it.each([
    ['not JSON', `url=${url}`, /is not JSON/],
    ['JSON without a url', JSON.stringify({ username: 'app', password }), /has no "url" string/],
    ['a binary secret', null, /has no SecretString/],
  ])('refuses %s with a ConfigError that never shows the secret', async (_case, value, message) => {
    // Prepare
    secrets = { 'log-anomaly/aws/odd': value };

    // Act
    const failure = await databaseEnvAtRunTime({ DATABASE_SECRET_ID: 'log-anomaly/aws/odd' }, source).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain(password);
  });
});

describe('loadDatabaseSecretConfig', () => {
  it('takes a secret name or a secret ARN, and nothing when unset', () => {
    // Act
    const byName = loadDatabaseSecretConfig({ DATABASE_SECRET_ID: 'log-anomaly/aws/database' });
    const byArn = loadDatabaseSecretConfig({ DATABASE_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:log-anomaly/aws/database-AbCdEf' });
    const none = loadDatabaseSecretConfig({ DATABASE_URL: 'postgres://localhost/log_anomaly' });

    // Assess
    expect(byName.secretId).toBe('log-anomaly/aws/database');
    expect(byArn.secretId).toBe('arn:aws:secretsmanager:eu-west-1:123456789012:secret:log-anomaly/aws/database-AbCdEf');
    expect(none.secretId).toBeNull();
  });

  it.each([
    [{ DATABASE_SECRET_ID: 'has spaces' }, /DATABASE_SECRET_ID must be a Secrets Manager secret name .* \(got "has spaces"\)/],
    [{ DATABASE_SECRET_ID: 'arn:aws:s3:::bucket' }, /DATABASE_SECRET_ID must be a Secrets Manager secret name/],
    [{ DATABASE_SECRET_ID: 'log-anomaly/aws/database', DATABASE_URL: url }, /DATABASE_SECRET_ID and DATABASE_URL are both set; set only one/],
  ])('refuses %j with a ConfigError', (env, message) => {
    // Act
    const failure = (() => {
      try {
        loadDatabaseSecretConfig(env);
      } catch (error) {
        return error;
      }
      return null;
    })();

    // Assess
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain(password);
  });
});
