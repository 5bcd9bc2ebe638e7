import type { Env } from './env.js';

/** One result per loader function: the environment of a Lambda container does not change. */
const cache = new Map<(env: Env) => unknown, unknown>();

/**
 * Runs `load(process.env)` once per container and returns the same frozen config afterwards.
 * A loader that throws is not cached, so the next invocation reports the problem again.
 * Usage: `const kafka = fromProcessEnv(loadKafkaConfig);`
 */
export function fromProcessEnv<T>(load: (env: Env) => T): T {
  if (cache.has(load)) return cache.get(load) as T;
  const config = load(process.env);
  cache.set(load, config);
  return config;
}

/** Forgets every cached config (tests that change process.env). */
export function resetProcessEnvCache(): void {
  cache.clear();
}
