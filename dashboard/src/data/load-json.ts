import { DataError } from './shape.js';

/** Larger responses are refused before parsing (the publisher writes at most 2 MiB per object). */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/**
 * Fetches a data object relative to the page and checks it with `check`. Every failure — network,
 * HTTP status, oversize, not JSON, wrong shape — becomes a DataError whose message says what is wrong.
 */
export async function loadJson<T>(key: string, base: URL, check: (value: unknown, source: string) => T, fetchImpl: typeof fetch = fetch): Promise<T> {
  const url = new URL(key, base);
  let response: Response;
  try {
    response = await fetchImpl(url, { cache: 'no-store', headers: { accept: 'application/json' } } as RequestInit);
  } catch (error) {
    throw new DataError(`${key} could not be loaded: ${(error as Error)?.message ?? String(error)}`);
  }
  if (response.status === 404 || response.status === 403) {
    throw new DataError(`${key} is missing (HTTP ${response.status}): the dashboard publisher has not written it yet, or is not running.`);
  }
  if (!response.ok) throw new DataError(`${key} could not be loaded: HTTP ${response.status} ${response.statusText}`.trim());
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) throw new DataError(`${key} is too large (${declared} bytes)`);
  const text = await response.text();
  if (text.length > MAX_RESPONSE_BYTES) throw new DataError(`${key} is too large (${text.length} characters)`);
  if (text.trim() === '') throw new DataError(`${key} is empty`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new DataError(`${key} is malformed: it is not valid JSON`);
  }
  return check(value, key);
}

/**
 * The directory the page was served from. A path without a trailing slash whose last segment has
 * no dot ("/bucket", as an emulator's website endpoint may be opened) is a directory too, so the
 * relative data keys resolve inside the bucket.
 */
export function pageBase(location: { href: string }): URL {
  const url = new URL(location.href);
  url.search = '';
  url.hash = '';
  const last = url.pathname.split('/').pop() ?? '';
  if (last !== '' && !last.includes('.')) url.pathname = `${url.pathname}/`;
  return new URL('.', url);
}
