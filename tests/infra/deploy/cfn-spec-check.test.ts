import { beforeAll, describe, expect, it } from 'vitest';
import { loadResourceSpecs, type ResourceSpecs } from '../../../infra/deploy/cfn-spec.js';
import { checkTemplateAgainstSpec, type SpecViolation } from '../../../infra/deploy/cfn-spec-check.js';

/** The checker against AWS's real specification (@aws-cdk/aws-service-spec), one kind of violation per test. */
describe('checkTemplateAgainstSpec with the published CloudFormation specification', () => {
  let specs: ResourceSpecs;
  beforeAll(async () => {
    specs = await loadResourceSpecs();
  });

  const mapping = (properties: Record<string, unknown>) => ({
    Resources: { Trigger: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: 'fn', EventSourceArn: 'arn:aws:kafka:us-east-1:123456789012:cluster/c/1', Topics: ['logs'], ...properties } } },
  });
  const kinds = (violations: readonly SpecViolation[]) => violations.map((each) => [each.logicalId, each.path, each.kind]);

  it('accepts a well-formed template, intrinsic functions included', () => {
    // Prepare
    const template = {
      Conditions: { Yes: { 'Fn::Equals': ['a', 'a'] } },
      Resources: {
        ...mapping({ BatchSize: 100, MaximumBatchingWindowInSeconds: 1, Enabled: { 'Fn::If': ['Yes', true, { Ref: 'AWS::NoValue' }] }, StartingPosition: { Ref: 'Position' } }).Resources,
        Bucket: { Type: 'AWS::S3::Bucket', DeletionPolicy: 'Retain', Properties: { BucketName: { 'Fn::Join': ['-', ['a', 'b']] }, Tags: [{ Key: 'k', Value: 'v' }] } },
        Queue: { Type: 'Custom::Anything', Properties: { Whatever: 1 } },
      },
    };

    // Act
    const violations = checkTemplateAgainstSpec(template, specs);

    // Assess
    expect(violations).toEqual([]);
  });

  it('reports a Double where the specification says Integer (a batching window of 0.5 s)', () => {
    // Act
    const violations = checkTemplateAgainstSpec(mapping({ MaximumBatchingWindowInSeconds: 0.5 }), specs);

    // Assess
    expect(violations).toEqual([
      { logicalId: 'Trigger', path: 'Properties.MaximumBatchingWindowInSeconds', kind: 'wrong-type', message: 'expected Integer, got Double 0.5' },
    ]);
  });

  it('reports strings, booleans, lists and maps of the wrong primitive type', () => {
    // Prepare
    const template = {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: {
            Code: { ZipFile: 'x' },
            Role: 'arn',
            MemorySize: '1024', // Integer
            Timeout: true, // Integer
            Architectures: 'arm64', // List of String
            Environment: { Variables: { A: 1 } }, // Map of String
            Layers: { 'Fn::Join': [',', ['a']] }, // a String where a list is expected
            Description: ['a'], // String
          },
        },
        Trigger: mapping({ Enabled: 'true' }).Resources.Trigger, // Boolean
      },
    };

    // Act
    const violations = checkTemplateAgainstSpec(template, specs);

    // Assess
    expect(violations.map((each) => [each.path, each.message])).toEqual([
      ['Properties.MemorySize', 'expected Integer, got String "1024"'],
      ['Properties.Timeout', 'expected Integer, got Boolean true'],
      ['Properties.Architectures', 'expected List of String, got String "arm64"'],
      ['Properties.Environment.Variables.A', 'expected String, got Integer 1'],
      ['Properties.Layers', 'expected List of String, got Fn::Join (a String)'],
      ['Properties.Description', 'expected String, got a list'],
      ['Properties.Enabled', 'expected Boolean, got String "true"'],
    ]);
  });

  it('reports unknown properties, at the top and inside property types', () => {
    // Prepare
    const template = mapping({ MaxBatchingWindow: 1, AmazonManagedKafkaEventSourceConfig: { ConsumerGroupId: 'g', GroupName: 'x' } });

    // Act
    const violations = checkTemplateAgainstSpec(template, specs);

    // Assess
    expect(kinds(violations)).toEqual([
      ['Trigger', 'Properties.MaxBatchingWindow', 'unknown-property'],
      ['Trigger', 'Properties.AmazonManagedKafkaEventSourceConfig.GroupName', 'unknown-property'],
    ]);
  });

  it('reports missing required properties, also when an Fn::If branch removes one', () => {
    // Prepare
    const template = {
      Conditions: { Maybe: { 'Fn::Equals': ['a', 'b'] } },
      Resources: {
        NoFunction: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { BatchSize: 10 } },
        NoRole: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'x' }, Role: { 'Fn::If': ['Maybe', 'arn', { Ref: 'AWS::NoValue' }] } } },
        NoKey: { Type: 'AWS::S3::Bucket', Properties: { Tags: [{ Value: 'v' }] } },
      },
    };

    // Act
    const violations = checkTemplateAgainstSpec(template, specs);

    // Assess
    expect(kinds(violations)).toEqual([
      ['NoFunction', 'Properties.FunctionName', 'missing-required'],
      ['NoRole', 'Properties.Role', 'missing-required'],
      ['NoKey', 'Properties.Tags[0].Key', 'missing-required'],
    ]);
  });

  it('reports resource types CloudFormation does not have and attributes a resource cannot carry', () => {
    // Prepare
    const template = { Resources: { Odd: { Type: 'AWS::Lambda::Functions', Properties: {} }, Extra: { Type: 'AWS::S3::Bucket', Properties: {}, DependOn: ['Odd'] } } };

    // Act
    const violations = checkTemplateAgainstSpec(template, specs);

    // Assess
    expect(kinds(violations)).toEqual([
      ['Odd', 'Type', 'unknown-resource-type'],
      ['Extra', 'DependOn', 'unknown-attribute'],
    ]);
  });

  it('checks both branches of Fn::If', () => {
    // Prepare
    const template = mapping({ BatchSize: { 'Fn::If': ['C', 100, 2.5] } });

    // Act
    const violations = checkTemplateAgainstSpec(template, specs);

    // Assess
    expect(violations.map((each) => [each.path, each.message])).toEqual([['Properties.BatchSize(Fn::If false)', 'expected Integer, got Double 2.5']]);
  });
});
