import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { TemplateMiner, type TemplateGroupSnapshot, type TemplateMinerOptions } from './template-miner.js';

/** A miner's stored form (inside a model's feature state), checked before it is trusted. */
export interface MinerSnapshot {
  readonly options: TemplateMinerOptions;
  readonly nextId: number;
  readonly groups: readonly TemplateGroupSnapshot[];
}

const MAX_GROUPS = 1_000_000;
const MAX_TOKEN_CHARS = 4096;

const snapshotSchema = z.object({
  options: z.object({
    depth: z.number().int().min(3).max(16),
    similarity: z.number().gt(0).max(1),
    maxChildren: z.number().int().min(2).max(100_000),
    maxTokens: z.number().int().min(1).max(1000),
    maxTemplates: z.number().int().min(1).max(MAX_GROUPS),
  }),
  nextId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  groups: z
    .array(
      z.object({
        id: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
        path: z.array(z.string().max(MAX_TOKEN_CHARS)).min(1).max(17),
        tokens: z.array(z.string().max(MAX_TOKEN_CHARS)).max(1001),
        count: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      }),
    )
    .max(MAX_GROUPS),
});

/** Validates untrusted snapshot JSON and rebuilds the miner; ValidationError names the problem. */
export function restoreMiner(value: unknown, resetCounts = false): TemplateMiner {
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`template miner snapshot is invalid: ${z.prettifyError(result.error).slice(0, 400)}`, { cause: result.error });
  }
  const snapshot = result.data;
  if (snapshot.groups.length > snapshot.options.maxTemplates) {
    throw new ValidationError(`template miner snapshot holds ${snapshot.groups.length} templates, over its maxTemplates ${snapshot.options.maxTemplates}`);
  }
  for (const group of snapshot.groups) {
    if (group.path[0] !== String(group.tokens.length)) {
      throw new ValidationError(`template ${group.id} is filed under length ${group.path[0]} but has ${group.tokens.length} tokens`);
    }
  }
  return TemplateMiner.restore(snapshot, resetCounts);
}
