/**
 * Polls until `condition` holds; throws after `limitMs`. A hang guard for tests that wait on real
 * processes and services, never a timing assertion.
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, limitMs = 20_000, pollMs = 25): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** True while a process with this pid exists (signal 0 probes without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
