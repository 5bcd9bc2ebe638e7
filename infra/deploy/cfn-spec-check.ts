/**
 * Checks a CloudFormation template against AWS's resource specification (cfn-spec.ts), the way
 * CloudFormation's own validation refuses a stack before creating anything: every resource type
 * must exist, every property must be one the type has, required properties must be present, and
 * each value must have its property's type (Integer and Double differ: 0.5 is not an Integer;
 * a String is not a Boolean; lists and maps hold values of their element type).
 *
 * Intrinsic functions are followed where their result's type is known: both branches of Fn::If
 * are checked (Ref AWS::NoValue counts as "absent"), Fn::Join / Fn::Sub / Fn::Base64 yield a
 * String, Fn::Split / Fn::GetAZs / Fn::Cidr a list; Ref, Fn::GetAtt and the rest may be anything.
 */
import type { PropertySpecs, ResourceSpecs, SpecType } from './cfn-spec.js';

export type ViolationKind = 'unknown-resource-type' | 'unknown-attribute' | 'unknown-property' | 'missing-required' | 'wrong-type';

export interface SpecViolation {
  readonly logicalId: string;
  /** Where in the resource, e.g. Properties.DistributionConfig.Origins[0].Id. */
  readonly path: string;
  readonly kind: ViolationKind;
  readonly message: string;
}

/** The keys a resource may have besides Type and Properties (CloudFormation's resource attributes). */
const resourceAttributes = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'UpdatePolicy', 'CreationPolicy', 'Metadata']);
const stringResults = new Set(['Fn::Join', 'Fn::Sub', 'Fn::Base64']);
const listResults = new Set(['Fn::Split', 'Fn::GetAZs', 'Fn::Cidr']);

/** The legacy tag type: a Key and a Value, both strings. */
const tagProperties: PropertySpecs = { Key: { required: true, types: [{ kind: 'string' }] }, Value: { required: true, types: [{ kind: 'string' }] } };

type Found = Omit<SpecViolation, 'logicalId'>;

/** Every violation in the template; empty when CloudFormation's specification accepts it. */
export function checkTemplateAgainstSpec(template: unknown, specs: ResourceSpecs): SpecViolation[] {
  const resources = isPlainObject(template) && isPlainObject(template.Resources) ? template.Resources : null;
  if (resources === null) return [{ logicalId: '(template)', path: 'Resources', kind: 'wrong-type', message: 'the template has no Resources object' }];
  const violations: SpecViolation[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    for (const found of checkResource(resource, specs)) violations.push({ logicalId, ...found });
  }
  return violations;
}

/** One line per violation, for an error message or a test failure. */
export function describeViolations(violations: readonly SpecViolation[]): string {
  return violations.map((each) => `${each.logicalId} ${each.path}: ${each.message} [${each.kind}]`).join('\n');
}

function checkResource(resource: unknown, specs: ResourceSpecs): Found[] {
  if (!isPlainObject(resource) || typeof resource.Type !== 'string') return [{ path: 'Type', kind: 'wrong-type', message: 'a resource needs a Type string' }];
  const found: Found[] = [];
  for (const key of Object.keys(resource)) {
    if (!resourceAttributes.has(key)) found.push({ path: key, kind: 'unknown-attribute', message: `${key} is not a resource attribute` });
  }
  const type = resource.Type;
  // Custom resources take whatever properties their provider reads.
  if (type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return found;
  const properties = specs.resource(type);
  if (properties === undefined) return [...found, { path: 'Type', kind: 'unknown-resource-type', message: `${type} is not a CloudFormation resource type` }];
  const value = resource.Properties ?? {};
  if (isIntrinsic(value)) return found;
  if (!isPlainObject(value)) return [...found, { path: 'Properties', kind: 'wrong-type', message: 'Properties must be an object' }];
  return [...found, ...checkObject(value, properties, type, 'Properties')];
}

function checkObject(value: Record<string, unknown>, properties: PropertySpecs, typeName: string, path: string): Found[] {
  const found: Found[] = [];
  for (const [name, property] of Object.entries(value)) {
    const spec = properties[name];
    if (spec === undefined) {
      found.push({ path: `${path}.${name}`, kind: 'unknown-property', message: `${typeName} has no property ${name}` });
      continue;
    }
    found.push(...checkAgainstAny(property, spec.types, `${path}.${name}`));
  }
  for (const [name, spec] of Object.entries(properties)) {
    if (!spec.required) continue;
    const value_ = value[name];
    if (value_ === undefined || isNoValue(value_)) found.push({ path: `${path}.${name}`, kind: 'missing-required', message: `${typeName} requires ${name}` });
    else if (mayBeNoValue(value_)) found.push({ path: `${path}.${name}`, kind: 'missing-required', message: `${typeName} requires ${name}, which an Fn::If branch removes` });
  }
  return found;
}

/** Accepted when the value has any of the types (current or earlier); otherwise the current type's violations. */
function checkAgainstAny(value: unknown, types: readonly SpecType[], path: string): Found[] {
  let first: Found[] | null = null;
  for (const type of types) {
    const found = checkValue(value, type, path);
    if (found.length === 0) return [];
    first ??= found;
  }
  return first ?? [];
}

function checkValue(value: unknown, type: SpecType, path: string): Found[] {
  if (isIntrinsic(value)) return checkIntrinsic(value, type, path);
  const wrong = (): Found[] => [{ path, kind: 'wrong-type', message: `expected ${typeName(type)}, got ${describeValue(value)}` }];
  switch (type.kind) {
    case 'string':
    case 'date-time':
      return typeof value === 'string' ? [] : wrong();
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) ? [] : wrong();
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : wrong();
    case 'boolean':
      return typeof value === 'boolean' ? [] : wrong();
    case 'null':
      return value === null ? [] : wrong();
    case 'json':
      // Policy documents and the like: CloudFormation takes an object or its JSON text.
      return value !== null && value !== undefined ? [] : wrong();
    case 'tag':
      return isPlainObject(value) ? checkObject(value, tagProperties, 'Tag', path) : wrong();
    case 'object':
      return isPlainObject(value) ? checkObject(value, type.properties(), type.name, path) : wrong();
    case 'array':
      if (!Array.isArray(value)) return wrong();
      return value.flatMap((element, index) => (isNoValue(element) ? [] : checkValue(element, type.element, `${path}[${index}]`)));
    case 'map':
      if (!isPlainObject(value)) return wrong();
      return Object.entries(value).flatMap(([key, element]) => checkValue(element, type.element, `${path}.${key}`));
    case 'union':
      return checkAgainstAny(value, type.types, path);
  }
}

function checkIntrinsic(value: Record<string, unknown>, type: SpecType, path: string): Found[] {
  const [name, argument] = Object.entries(value)[0]!;
  if (name === 'Fn::If') {
    const branches = Array.isArray(argument) ? argument.slice(1, 3) : [];
    return branches.flatMap((branch, index) => (isNoValue(branch) ? [] : checkValue(branch, type, `${path}(Fn::If ${index === 0 ? 'true' : 'false'})`)));
  }
  if (stringResults.has(name) && !accepts(type, 'string')) return [{ path, kind: 'wrong-type', message: `expected ${typeName(type)}, got ${name} (a String)` }];
  if (listResults.has(name) && !accepts(type, 'array')) return [{ path, kind: 'wrong-type', message: `expected ${typeName(type)}, got ${name} (a list)` }];
  return [];
}

/** Whether a value of `kind` can satisfy `type` (json takes anything). */
function accepts(type: SpecType, kind: 'string' | 'array'): boolean {
  if (type.kind === 'union') return type.types.some((each) => accepts(each, kind));
  return type.kind === 'json' || type.kind === kind || (kind === 'string' && type.kind === 'date-time');
}

function typeName(type: SpecType): string {
  switch (type.kind) {
    case 'string':
      return 'String';
    case 'integer':
      return 'Integer';
    case 'number':
      return 'Double';
    case 'boolean':
      return 'Boolean';
    case 'json':
      return 'Json';
    case 'date-time':
      return 'Timestamp';
    case 'null':
      return 'null';
    case 'tag':
      return 'Tag';
    case 'object':
      return type.name;
    case 'array':
      return `List of ${typeName(type.element)}`;
    case 'map':
      return `Map of ${typeName(type.element)}`;
    case 'union':
      return `one of ${type.types.map(typeName).join(', ')}`;
  }
}

function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? `Integer ${value}` : `Double ${value}`;
  if (typeof value === 'string') return `String ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'boolean') return `Boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** { "Ref": … } or { "Fn::…": … }, alone in its object. */
function isIntrinsic(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

function isNoValue(value: unknown): boolean {
  return isPlainObject(value) && Object.keys(value).length === 1 && value.Ref === 'AWS::NoValue';
}

/** An Fn::If with a branch (at any depth of nested Fn::If) that is Ref AWS::NoValue. */
function mayBeNoValue(value: unknown): boolean {
  if (!isIntrinsic(value) || !Array.isArray(value['Fn::If'])) return false;
  return (value['Fn::If'] as unknown[]).slice(1, 3).some((branch) => isNoValue(branch) || mayBeNoValue(branch));
}
