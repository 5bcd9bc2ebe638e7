import { createHash } from 'node:crypto';
import { EXPERIMENT_KEY_PREFIX } from './dashboard-data.js';

/**
 * The object key of one experiment: a readable slug of its id plus a hash of the whole id, so any
 * id (1–200 characters of anything) maps to a distinct, URL-safe key of at most ~90 characters.
 */
export function experimentKey(id: string): string {
  const slug = id.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'experiment';
  const hash = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, 12);
  return `${EXPERIMENT_KEY_PREFIX}${slug}-${hash}.json`;
}
