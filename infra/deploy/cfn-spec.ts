/**
 * AWS's CloudFormation resource specification, as the AWS CDK team publishes it in
 * @aws-cdk/aws-service-spec (built from the CloudFormation registry's resource schemas, released
 * several times a month), turned into the small shape cfn-spec-check.ts reads: for each resource
 * type, its properties with whether they are required and their types.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

/** A property's type. `object` is a named property type whose properties are read on demand (types nest and recur). */
export type SpecType =
  | { readonly kind: 'string' | 'integer' | 'number' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { readonly kind: 'array' | 'map'; readonly element: SpecType }
  | { readonly kind: 'object'; readonly name: string; readonly properties: () => PropertySpecs }
  | { readonly kind: 'union'; readonly types: readonly SpecType[] };

export interface PropertySpec {
  readonly required: boolean;
  /** The current type first, then earlier ones CloudFormation still accepts. */
  readonly types: readonly SpecType[];
}

export type PropertySpecs = Readonly<Record<string, PropertySpec>>;

export interface ResourceSpecs {
  /** The properties of a resource type (e.g. AWS::S3::Bucket); undefined when the type is unknown. */
  resource(type: string): PropertySpecs | undefined;
}

type Database = Awaited<ReturnType<typeof loadAwsServiceSpec>>;
/** The database's type of a property type, as far as this module reads it. */
interface RawType {
  readonly type: string;
  readonly element?: RawType;
  readonly types?: readonly RawType[];
  readonly reference?: { readonly $ref: string };
}
interface RawProperty {
  readonly required?: boolean;
  readonly type: RawType;
  readonly previousTypes?: readonly RawType[];
}

let loading: Promise<ResourceSpecs> | null = null;

/** Loads the specification once per process (about half a second; the database is 2.6 MB gzipped). */
export function loadResourceSpecs(): Promise<ResourceSpecs> {
  loading ??= loadAwsServiceSpec().then(fromDatabase);
  return loading;
}

function fromDatabase(db: Database): ResourceSpecs {
  const objects = new Map<string, SpecType>();
  const resources = new Map<string, PropertySpecs | undefined>();

  const properties = (raw: Readonly<Record<string, RawProperty>>): PropertySpecs =>
    Object.fromEntries(
      Object.entries(raw).map(([name, property]) => [name, { required: property.required === true, types: [property.type, ...(property.previousTypes ?? [])].map(convert) }]),
    );

  const convert = (raw: RawType): SpecType => {
    switch (raw.type) {
      case 'array':
      case 'map':
        return { kind: raw.type, element: convert(raw.element!) };
      case 'union':
        return { kind: 'union', types: (raw.types ?? []).map(convert) };
      case 'ref': {
        const id = raw.reference!.$ref;
        let object = objects.get(id);
        if (object === undefined) {
          const definition = db.get('typeDefinition', id);
          let cached: PropertySpecs | null = null;
          object = { kind: 'object', name: definition.name, properties: () => (cached ??= properties(definition.properties as unknown as Record<string, RawProperty>)) };
          objects.set(id, object);
        }
        return object;
      }
      case 'string':
      case 'integer':
      case 'number':
      case 'boolean':
      case 'json':
      case 'date-time':
      case 'null':
      case 'tag':
        return { kind: raw.type };
      default:
        // A kind this checker does not know yet: accept anything rather than report false violations.
        return { kind: 'json' };
    }
  };

  return {
    resource(type) {
      if (!resources.has(type)) {
        const found = db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
        resources.set(type, found === undefined ? undefined : properties(found.properties as unknown as Record<string, RawProperty>));
      }
      return resources.get(type);
    },
  };
}
