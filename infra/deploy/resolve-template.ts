/**
 * A packaged template as CloudFormation would create it in one account and region: conditions
 * evaluated (serverless resolves the params, so they compare literals), resources whose condition
 * is false left out, Fn::If replaced by its branch, Ref AWS::NoValue removed, pseudo parameters
 * (AWS::Region, AWS::AccountId, AWS::Partition, AWS::StackName) filled in, and Fn::Join / Fn::Sub / Fn::Split / Fn::Select
 * over known strings folded into strings. What cannot be known offline (Ref to a resource,
 * Fn::GetAtt) is left as it is. Used to read each stage's effective IAM policies and buckets.
 */
import { ValidationError } from '../../functions/shared/errors.js';

export interface Pseudo {
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
  readonly stackName: string;
}

export const placeholderPseudo: Pseudo = { region: 'us-east-1', accountId: '123456789012', partition: 'aws', stackName: 'stack' };

export interface ResolvedTemplate {
  readonly Resources: Record<string, Record<string, unknown>>;
  readonly Outputs: Record<string, unknown>;
  /** Each condition's value. */
  readonly conditions: Readonly<Record<string, boolean>>;
}

type Json = Record<string, unknown>;
const noValue = Symbol('AWS::NoValue');

export function resolveTemplate(template: unknown, pseudo: Pseudo = placeholderPseudo): ResolvedTemplate {
  if (!isObject(template) || !isObject(template.Resources)) throw new ValidationError('not a CloudFormation template: no Resources object');
  const conditions = evaluateConditions(isObject(template.Conditions) ? template.Conditions : {});
  const keep = (entry: unknown) => !isObject(entry) || typeof entry.Condition !== 'string' || conditionValue(conditions, entry.Condition);
  const resolveAll = (section: Json) =>
    Object.fromEntries(
      Object.entries(section)
        .filter(([, entry]) => keep(entry))
        .map(([id, entry]) => [id, resolveValue(entry, conditions, pseudo)]),
    );
  return {
    Resources: resolveAll(template.Resources) as Record<string, Json>,
    Outputs: resolveAll(isObject(template.Outputs) ? template.Outputs : {}),
    conditions,
  };
}

function evaluateConditions(definitions: Json): Record<string, boolean> {
  const values: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const evaluate = (name: string): boolean => {
    if (name in values) return values[name]!;
    if (!(name in definitions)) throw new ValidationError(`the template uses condition ${name}, which it does not define`);
    if (visiting.has(name)) throw new ValidationError(`condition ${name} refers to itself`);
    visiting.add(name);
    values[name] = truth(definitions[name], evaluate, name);
    return values[name];
  };
  for (const name of Object.keys(definitions)) evaluate(name);
  return values;
}

function truth(expression: unknown, condition: (name: string) => boolean, name: string): boolean {
  if (!isObject(expression)) throw new ValidationError(`condition ${name} is not a condition function`);
  const [fn, argument] = Object.entries(expression)[0] ?? [];
  const list = Array.isArray(argument) ? argument : [];
  switch (fn) {
    case 'Fn::Equals': {
      const [left, right] = list.map((each) => (isObject(each) && typeof each.Condition === 'string' ? condition(each.Condition) : each));
      if (typeof left === 'object' || typeof right === 'object') throw new ValidationError(`condition ${name} compares something only CloudFormation can know (${JSON.stringify(list).slice(0, 120)})`);
      return String(left) === String(right);
    }
    case 'Fn::Not':
      return !truth(list[0], condition, name);
    case 'Fn::And':
      return list.every((each) => truth(each, condition, name));
    case 'Fn::Or':
      return list.some((each) => truth(each, condition, name));
    case 'Condition':
      return condition(String(argument));
    default:
      throw new ValidationError(`condition ${name} uses ${String(fn)}, which this reader does not evaluate`);
  }
}

function conditionValue(conditions: Record<string, boolean>, name: string): boolean {
  if (!(name in conditions)) throw new ValidationError(`the template uses condition ${name}, which it does not define`);
  return conditions[name]!;
}

function resolveValue(value: unknown, conditions: Record<string, boolean>, pseudo: Pseudo): unknown {
  const resolved = resolveInner(value, conditions, pseudo);
  return resolved === noValue ? undefined : resolved;
}

function resolveInner(value: unknown, conditions: Record<string, boolean>, pseudo: Pseudo): unknown {
  if (Array.isArray(value)) return value.map((each) => resolveInner(each, conditions, pseudo)).filter((each) => each !== noValue);
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [fn] = keys as [string];
    const argument = value[fn];
    if (fn === 'Fn::If' && Array.isArray(argument)) {
      return resolveInner(conditionValue(conditions, String(argument[0])) ? argument[1] : argument[2], conditions, pseudo);
    }
    if (fn === 'Ref') {
      if (argument === 'AWS::NoValue') return noValue;
      const known = pseudoValue(String(argument), pseudo);
      return known ?? value;
    }
    if (fn === 'Fn::Join' && Array.isArray(argument)) {
      const parts = resolveInner(argument[1], conditions, pseudo);
      if (typeof argument[0] === 'string' && Array.isArray(parts) && parts.every((part) => typeof part === 'string')) return parts.join(argument[0]);
      return { [fn]: [argument[0], parts] };
    }
    if (fn === 'Fn::Split' && Array.isArray(argument)) {
      const text = resolveInner(argument[1], conditions, pseudo);
      if (typeof argument[0] === 'string' && argument[0] !== '' && typeof text === 'string') return text.split(argument[0]);
      return { [fn]: [argument[0], text] };
    }
    if (fn === 'Fn::Select' && Array.isArray(argument)) {
      const list = resolveInner(argument[1], conditions, pseudo);
      const index = Number(argument[0]);
      if (Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length) return list[index];
      return { [fn]: [argument[0], list] };
    }
    if (fn === 'Fn::Sub' && typeof argument === 'string') {
      const substituted = argument.replace(/\$\{(AWS::[A-Za-z]+)\}/g, (whole, name: string) => pseudoValue(name, pseudo) ?? whole);
      return /\$\{[^!]/.test(substituted) ? { [fn]: substituted } : substituted.replace(/\$\{!/g, '${');
    }
  }
  const out: Json = {};
  for (const [key, each] of Object.entries(value)) {
    const resolved = resolveInner(each, conditions, pseudo);
    if (resolved !== noValue) out[key] = resolved;
  }
  return out;
}

function pseudoValue(name: string, pseudo: Pseudo): string | undefined {
  return { 'AWS::Region': pseudo.region, 'AWS::AccountId': pseudo.accountId, 'AWS::Partition': pseudo.partition, 'AWS::StackName': pseudo.stackName }[name];
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
