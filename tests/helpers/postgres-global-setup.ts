/**
 * vitest globalSetup: one shared PostgreSQL server for the whole test run, started lazily.
 *
 * The main process listens on a loopback HTTP port (provided to tests as `postgresControlUrl`).
 * The first test file that asks (`createTestDatabase()` → POST /server) starts the server; later
 * files get the same one. A run whose files never ask starts no server. Teardown stops the server
 * and removes its directory. A failed start is remembered and reported to every file that asks.
 */
import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type PostgresServer } from './embedded-postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresControlUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: Promise<PostgresServer> | null = null;
  const control = createServer((request, response) => {
    request.resume();
    if (request.method !== 'POST' || request.url !== '/server') {
      response.writeHead(404).end();
      return;
    }
    server ??= startEmbeddedPostgres();
    server.then(
      ({ host, port, user, password }) => {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ host, port, user, password }));
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String((error as Error)?.message ?? error) }));
      },
    );
  });
  await listen(control);
  const address = control.address();
  if (address === null || typeof address === 'string') throw new Error('postgres control server has no TCP address');
  project.provide('postgresControlUrl', `http://127.0.0.1:${address.port}`);

  return async () => {
    await new Promise<void>((resolve) => control.close(() => resolve()));
    const started = await server?.catch(() => null);
    await started?.stop();
  };
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
}
