/** The parts of a postgres:// URL; the password stays out of messages. */
export interface DatabaseUrlParts {
  host: string;
  port: number;
  database: string;
  user: string | undefined;
  password: string | undefined;
  ssl: boolean | undefined;
}

/** sslmode values that make the client use TLS. */
const tlsModes = new Set(['require', 'verify-ca', 'verify-full']);
const knownModes = new Set(['disable', 'allow', 'prefer', ...tlsModes]);

/**
 * Parses DATABASE_URL (postgres:// or postgresql://). Returns the parts, or a reason that never
 * contains the URL or any part of it (it may hold a password).
 */
export function parseDatabaseUrl(text: string): DatabaseUrlParts | { error: string } {
  if (text.length > 4096) return { error: 'must be at most 4096 characters' };
  // new URL's error carries the input: do not keep it.
  const url = URL.canParse(text) ? new URL(text) : null;
  if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
    return { error: 'must be a URL of the form postgres://user:password@host:5432/database' };
  }
  if (url.hostname === '') return { error: 'has no host (expected postgres://user:password@host:5432/database)' };
  const port = url.port === '' ? 5432 : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { error: 'has a port outside 1–65535' };
  const parts = [url.pathname.slice(1), url.username, url.password].map(decodeComponent);
  if (parts.some((part) => part === null)) return { error: 'has invalid percent-encoding in its database, user or password' };
  const [database, user, password] = parts as [string, string, string];
  if (database === '' || database.includes('/')) return { error: 'has no database name (expected …@host:5432/database)' };
  if (database.length > 63 || /[\u0000-\u001f]/.test(database)) return { error: 'has a database name that is too long or holds control characters' };
  if (/[\u0000]/.test(user) || /[\u0000]/.test(password)) return { error: 'has a NUL character in its user or password' };
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && !knownModes.has(sslmode)) return { error: 'has an sslmode that is not one of disable, allow, prefer, require, verify-ca, verify-full' };
  return {
    host: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port,
    database,
    user: user === '' ? undefined : user,
    password: password === '' ? undefined : password,
    ssl: sslmode === null ? undefined : tlsModes.has(sslmode),
  };
}

function decodeComponent(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
