import { badRequest } from './control-plane-error.js';

/** Query parameters of ListClusters / ListClustersV2, validated. */
export interface ListQuery {
  /** Prefix the cluster name must start with (MSK's clusterNameFilter semantics). */
  clusterNameFilter: string | null;
  /** "PROVISIONED" or "SERVERLESS" (v2 only). */
  clusterTypeFilter: string | null;
  /** Page size, 1-100. */
  maxResults: number;
  /** Index of the first cluster of this page. */
  start: number;
}

const defaultMaxResults = 10;
const clusterTypes = ['PROVISIONED', 'SERVERLESS'];
const tokenPrefix = 'local-msk-page:';

/** Parses and checks the list parameters; throws BadRequestException naming the one at fault. */
export function parseListQuery(query: URLSearchParams, allowTypeFilter: boolean): ListQuery {
  const single = (name: string): string | null => {
    const values = query.getAll(name);
    if (values.length > 1) throw badRequest(`query parameter ${name} is given ${values.length} times`, name);
    return values[0] ?? null;
  };
  const clusterNameFilter = single('clusterNameFilter');
  const clusterTypeFilter = allowTypeFilter ? single('clusterTypeFilter') : null;
  if (clusterTypeFilter !== null && !clusterTypes.includes(clusterTypeFilter)) {
    throw badRequest(`clusterTypeFilter must be one of ${clusterTypes.join(', ')}`, 'clusterTypeFilter');
  }
  const rawMax = single('maxResults');
  let maxResults = defaultMaxResults;
  if (rawMax !== null) {
    maxResults = /^\d{1,3}$/.test(rawMax) ? Number(rawMax) : NaN;
    if (!(maxResults >= 1 && maxResults <= 100)) throw badRequest('maxResults must be an integer between 1 and 100', 'maxResults');
  }
  const rawToken = single('nextToken');
  const start = rawToken === null || rawToken === '' ? 0 : decodePageToken(rawToken);
  return { clusterNameFilter, clusterTypeFilter, maxResults, start };
}

/** The opaque nextToken pointing at the page that starts at `start`. */
export function pageToken(start: number): string {
  return Buffer.from(`${tokenPrefix}${start}`, 'utf8').toString('base64url');
}

function decodePageToken(token: string): number {
  const text = /^[A-Za-z0-9_-]{1,64}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const match = /^local-msk-page:(\d{1,6})$/.exec(text);
  if (!match) throw badRequest('nextToken is not a token this endpoint issued', 'nextToken');
  return Number(match[1]);
}

/** One page of `items` and the token of the next page (undefined on the last page). */
export function paginate<T>(items: readonly T[], query: ListQuery): { page: T[]; nextToken: string | undefined } {
  if (query.start > items.length) throw badRequest('nextToken points past the end of the list', 'nextToken');
  const end = query.start + query.maxResults;
  return { page: items.slice(query.start, end), nextToken: end < items.length ? pageToken(end) : undefined };
}
