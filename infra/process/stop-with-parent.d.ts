/** See stop-with-parent.js: runs `onOrphaned` once when STOP_WITH_PARENT_PID's process is gone; returns a canceller. */
export function stopWithParent(onOrphaned: (reason: string) => void, env?: NodeJS.ProcessEnv): () => void;
