// @ts-check
/**
 * For processes the local stack starts in process groups of their own: when STOP_WITH_PARENT_PID
 * names the starting process and that process is gone (this one was re-parented), `onOrphaned`
 * runs once, so a launcher killed outright (SIGKILL, a crash) still leaves nothing behind.
 * Plain JavaScript: the serverless-offline plugin loads it without a TypeScript loader.
 */

/** How often the parent is checked, in ms. */
const checkEveryMs = 1000;

/**
 * @param {(reason: string) => void} onOrphaned
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {() => void} stops watching
 */
export function stopWithParent(onOrphaned, env = process.env) {
  const raw = env.STOP_WITH_PARENT_PID;
  if (raw === undefined || !/^\d{1,10}$/.test(raw)) return () => undefined;
  const parent = Number(raw);
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned(`the process that started this one (pid ${parent}) is gone`);
  }, checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
