import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionEnvironmentProblems, stageSettingsProblems } from '../../../infra/deploy/stage-settings-plugin.js';
import { createServiceSandbox, describeRun, offlineEnv, runServerless, type ServiceSandbox } from '../serverless/run-serverless.js';

const valid = { dashboardAccess: 'cloudfront', dashboardWebAclArn: '', databaseSecret: 'log-anomaly/aws/database', kafkaAuth: 'iam', kafkaScramSecretArn: '' };
const scramSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_log-anomaly-AbCdEf';
const webAcl = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/dashboard-ips/a1b2c3d4-5678-90ab-cdef-1234567890ab';

describe('stageSettingsProblems', () => {
  it('accepts the defaults, public mode, a CloudFront web ACL and no secret', () => {
    // Act
    const verdicts = [
      valid,
      { ...valid, dashboardAccess: 'public', databaseSecret: '' },
      { ...valid, dashboardWebAclArn: webAcl },
      { ...valid, kafkaAuth: 'none' },
      { ...valid, kafkaAuth: 'scram-sha-512', kafkaScramSecretArn: scramSecret },
    ].map(stageSettingsProblems);

    // Assess
    expect(verdicts).toEqual([[], [], [], [], []]);
  });

  it.each([
    [{ dashboardAccess: 'private' }, 'param dashboardAccess must be one of cloudfront, public (got "private")'],
    [{ dashboardWebAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/a1b2c3d4-5678-90ab-cdef-1234567890ab' }, 'param dashboardWebAclArn must be the ARN of a WAFv2 web ACL with scope CLOUDFRONT'],
    [{ dashboardAccess: 'public', dashboardWebAclArn: webAcl }, 'param dashboardWebAclArn needs dashboardAccess cloudfront'],
    [{ databaseSecret: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf' }, "param databaseSecret must be the secret's name, not its ARN"],
    [{ databaseSecret: 'has spaces' }, 'param databaseSecret must be a Secrets Manager secret name'],
    [{ kafkaAuth: 'plain' }, 'param kafkaAuth must be one of none, iam, scram-sha-512 (got "plain")'],
    [{ kafkaAuth: 'scram-sha-512' }, 'param kafkaScramSecretArn must be the full ARN'],
    [{ kafkaAuth: 'scram-sha-512', kafkaScramSecretArn: 'AmazonMSK_log-anomaly' }, 'param kafkaScramSecretArn must be the full ARN'],
    [{ kafkaAuth: 'scram-sha-512', kafkaScramSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:logs-AbCdEf' }, 'whose name MSK requires to start with AmazonMSK_'],
    [{ kafkaScramSecretArn: scramSecret }, 'param kafkaScramSecretArn is set but kafkaAuth is not scram-sha-512'],
  ])('refuses %j', (change, message) => {
    // Act
    const problems = stageSettingsProblems({ ...valid, ...change });

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});

describe('functionEnvironmentProblems', () => {
  it('refuses a function given both DATABASE_URL and DATABASE_SECRET_ID, without showing the URL', () => {
    // Prepare
    const url = 'postgres://app:Pa55word@db:5432/log_anomaly';

    // Act
    const problems = functionEnvironmentProblems({
      detector: { environment: { DATABASE_URL: url, DATABASE_SECRET_ID: 'log-anomaly/aws/database' } },
      aggregator: { environment: { DATABASE_URL: '', DATABASE_SECRET_ID: 'log-anomaly/aws/database' } },
      producer: {},
    });

    // Assess
    expect(problems).toEqual(['function detector would get both DATABASE_URL and DATABASE_SECRET_ID: with param databaseSecret set, leave DATABASE_URL (param databaseUrl) empty']);
    expect(problems.join()).not.toContain('Pa55word');
  });
});

describe('the stage-settings plugin under osls', () => {
  let sandbox: ServiceSandbox;
  beforeAll(async () => {
    sandbox = await createServiceSandbox();
  });
  afterAll(async () => {
    await sandbox?.remove();
  });

  it('stops `serverless package` before anything is built, naming the bad param', async () => {
    // Act
    const run = await runServerless(sandbox.dir, ['package', '--param=dashboardAccess=open'], offlineEnv({}));

    // Assess
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout + run.stderr).toContain('param dashboardAccess must be one of cloudfront, public (got "open")');
  });

  it('stops `serverless package --stage aws` when the deploying shell still has DATABASE_URL', async () => {
    // Act
    const run = await runServerless(
      sandbox.dir,
      ['package', '--stage', 'aws', '--param=databaseUrl=postgres://app:Pa55word@db:5432/log_anomaly', '--param=subnetIds=subnet-1', '--param=securityGroupIds=sg-1'],
      offlineEnv({}),
    );

    // Assess
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout + run.stderr).toContain('function detector would get both DATABASE_URL and DATABASE_SECRET_ID');
    expect(run.stdout + run.stderr).not.toContain('Pa55word');
  });
});
