export { restoreMiner, type MinerSnapshot } from './miner-snapshot.js';
export {
  OVERFLOW_TEMPLATE_ID,
  TemplateMiner,
  defaultTemplateMinerOptions,
  type TemplateGroupSnapshot,
  type TemplateMatch,
  type TemplateMinerOptions,
} from './template-miner.js';
export { MAX_TOKEN_CHARS, TRUNCATED, WILDCARD, tokenize } from './tokenize.js';
