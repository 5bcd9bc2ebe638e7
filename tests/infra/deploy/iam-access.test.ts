import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/shared/errors.js';
import { allows, type PolicyStatement } from '../../../infra/deploy/iam-access.js';

describe('allows (IAM statement evaluation)', () => {
  const statements: PolicyStatement[] = [
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::models/models/*' },
    { Effect: 'Allow', Action: 'S3:List*', Resource: ['arn:aws:s3:::models'] },
    { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: 'arn:aws:secretsmanager:eu-west-1:1:secret:db-??????' },
  ];

  it('matches actions ignoring case and resources with * and ?', () => {
    // Act
    const answers = [
      allows(statements, 's3:putobject', 'arn:aws:s3:::models/models/latest'),
      allows(statements, 's3:PutObject', 'arn:aws:s3:::models/data/x.json'),
      allows(statements, 's3:ListBucket', 'arn:aws:s3:::models'),
      allows(statements, 's3:DeleteObject', 'arn:aws:s3:::models/models/latest'),
      allows(statements, 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:1:secret:db-AbCdEf'),
      allows(statements, 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:eu-west-1:1:secret:db-other-AbCdEf'),
    ];

    // Assess
    expect(answers).toEqual([true, false, true, false, true, false]);
  });

  it('lets an explicit Deny win, honours NotAction and NotResource, and counts conditional statements as allowing', () => {
    // Prepare
    const withDeny: PolicyStatement[] = [
      { Effect: 'Allow', Action: 's3:*', Resource: '*' },
      { Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/models/*' },
      { Effect: 'Allow', NotAction: 's3:*', NotResource: 'arn:aws:kafka:*' },
      { Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*', Condition: { StringEquals: { 'aws:SourceVpc': 'vpc-1' } } },
    ];

    // Act
    const answers = [
      allows(withDeny, 's3:PutObject', 'arn:aws:s3:::b/models/latest'),
      allows(withDeny, 's3:PutObject', 'arn:aws:s3:::b/data/x'),
      allows(withDeny, 'logs:PutLogEvents', 'arn:aws:logs:x'),
      allows(withDeny, 'logs:PutLogEvents', 'arn:aws:kafka:x'),
      allows(withDeny, 'ec2:DescribeVpcs', '*'),
    ];

    // Assess
    expect(answers).toEqual([false, true, true, false, true]);
  });

  it('refuses a resource that is not a resolved string', () => {
    // Act, Assess
    expect(() => allows([{ Effect: 'Allow', Action: '*', Resource: { 'Fn::GetAtt': ['B', 'Arn'] } }], 's3:GetObject', 'x')).toThrow(ValidationError);
  });
});
