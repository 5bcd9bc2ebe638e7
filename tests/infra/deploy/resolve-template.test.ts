import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/shared/errors.js';
import { resolveTemplate } from '../../../infra/deploy/resolve-template.js';

const pseudo = { region: 'eu-west-1', accountId: '123456789012', partition: 'aws', stackName: 's' };

describe('resolveTemplate', () => {
  it('applies the conditions: resources, outputs, Fn::If branches and AWS::NoValue', () => {
    // Prepare
    const template = {
      Conditions: {
        On: { 'Fn::Equals': ['cloudfront', 'cloudfront'] },
        Off: { 'Fn::Not': [{ Condition: 'On' }] },
        Both: { 'Fn::And': [{ Condition: 'On' }, { 'Fn::Or': [{ Condition: 'Off' }, { 'Fn::Equals': ['1', '1'] }] }] },
      },
      Resources: {
        Kept: { Type: 'T', Condition: 'Both', Properties: { A: { 'Fn::If': ['Off', 'x', 'y'] }, B: { 'Fn::If': ['On', { Ref: 'AWS::NoValue' }, 1] }, L: ['a', { 'Fn::If': ['Off', 'b', { Ref: 'AWS::NoValue' }] }] } },
        Dropped: { Type: 'T', Condition: 'Off' },
      },
      Outputs: { Shown: { Condition: 'On', Value: 1 }, Hidden: { Condition: 'Off', Value: 2 } },
    };

    // Act
    const resolved = resolveTemplate(template, pseudo);

    // Assess
    expect(resolved.conditions).toEqual({ On: true, Off: false, Both: true });
    expect(resolved.Resources).toEqual({ Kept: { Type: 'T', Condition: 'Both', Properties: { A: 'y', L: ['a'] } } });
    expect(Object.keys(resolved.Outputs)).toEqual(['Shown']);
  });

  it('fills in pseudo parameters and folds Fn::Sub and Fn::Join over known strings, leaving resource references', () => {
    // Prepare
    const template = {
      Resources: {
        R: {
          Type: 'T',
          Properties: {
            Sub: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:x:*' },
            Join: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::b']] },
            Ref: { Ref: 'Bucket' },
            Mixed: { 'Fn::Join': ['', ['a', { Ref: 'Bucket' }]] },
          },
        },
      },
    };

    // Act
    const properties = resolveTemplate(template, pseudo).Resources.R!.Properties;

    // Assess
    expect(properties).toEqual({
      Sub: 'arn:aws:logs:eu-west-1:123456789012:log-group:x:*',
      Join: 'arn:aws:s3:::b',
      Ref: { Ref: 'Bucket' },
      Mixed: { 'Fn::Join': ['', ['a', { Ref: 'Bucket' }]] },
    });
  });

  it('refuses conditions it cannot evaluate offline, naming them', () => {
    // Prepare
    const undefinedCondition = { Resources: { R: { Type: 'T', Condition: 'Nowhere' } } };
    const parameter = { Conditions: { P: { 'Fn::Equals': [{ Ref: 'Stage' }, 'prod'] } }, Resources: {} };

    // Act, Assess
    expect(() => resolveTemplate(undefinedCondition)).toThrow(new ValidationError('the template uses condition Nowhere, which it does not define'));
    expect(() => resolveTemplate(parameter)).toThrow(/condition P compares something only CloudFormation can know/);
  });
});
