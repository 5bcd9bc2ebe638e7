import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalServicesError } from '../../../infra/local-services/errors.js';
import { runningPostmaster, startPostgres } from '../../../infra/local-services/postgres-service.js';
import { freePort } from '../../helpers/free-port.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('startPostgres when the server cannot start', () => {
  it('reports who holds the data directory instead of waiting forever for a server that already exited', async () => {
    // Prepare: a server from "an earlier run" still running on the data directory
    const dataDir = await mkdtemp(join(tmpdir(), 'pg-start-failure-'));
    dirs.push(dataDir);
    const earlier = await startPostgres({ host: '127.0.0.1', port: await freePort(), dataDir });
    try {
      const owner = await runningPostmaster(join(dataDir, 'postgres', 'data'));

      // Act: a second start on the same directory (its server exits at once: the lock file is taken)
      const outcome = startPostgres({ host: '127.0.0.1', port: await freePort(), dataDir });

      // Assess
      expect(owner).toEqual(expect.any(Number));
      await expect(outcome).rejects.toThrow(LocalServicesError);
      await expect(outcome).rejects.toThrow(new RegExp(`pid ${owner}, still holds`));
    } finally {
      await earlier.stop();
    }
  });
});
