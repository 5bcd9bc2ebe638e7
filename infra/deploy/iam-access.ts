/**
 * Does a set of IAM policy statements allow an action on a resource? Enough of IAM's evaluation to
 * answer questions such as "may the producer's role write models/latest?" about a packaged
 * template's roles: an explicit Deny wins, then any Allow whose Action (or NotAction) and Resource
 * (or NotResource) match; `*` and `?` are wildcards; actions ignore case, resources do not.
 *
 * A statement with a Condition is taken to apply: the answer errs towards "allowed", which is the
 * safe side for asserting that something is NOT allowed. Resources must be resolved strings
 * (resolve-template.ts); anything else is refused rather than guessed.
 */
import { ValidationError } from '../../functions/shared/errors.js';

export interface PolicyStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

export function allows(statements: readonly PolicyStatement[], action: string, resource: string): boolean {
  const applies = (statement: PolicyStatement) => actionMatches(statement, action) && resourceMatches(statement, resource);
  if (statements.some((statement) => statement.Effect === 'Deny' && applies(statement))) return false;
  return statements.some((statement) => statement.Effect === 'Allow' && applies(statement));
}

function actionMatches(statement: PolicyStatement, action: string): boolean {
  if (statement.NotAction !== undefined) return !list(statement.NotAction, 'NotAction').some((pattern) => wildcard(pattern, action, true));
  return list(statement.Action, 'Action').some((pattern) => wildcard(pattern, action, true));
}

function resourceMatches(statement: PolicyStatement, resource: string): boolean {
  if (statement.NotResource !== undefined) return !list(statement.NotResource, 'NotResource').some((pattern) => wildcard(pattern, resource, false));
  return list(statement.Resource, 'Resource').some((pattern) => wildcard(pattern, resource, false));
}

function list(value: unknown, field: string): string[] {
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  for (const each of values) {
    if (typeof each !== 'string') throw new ValidationError(`a policy statement's ${field} holds ${JSON.stringify(each).slice(0, 120)}, not a string: resolve the template first`);
  }
  return values as string[];
}

function wildcard(pattern: string, text: string, ignoreCase: boolean): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(text);
}
