import { EnvReader, type Env } from '../../shared/config/env.js';
import { matching } from '../../shared/config/env-schemas.js';

export interface ReplayConfig {
  /** REPLAY_DIR: the only directory replay files are read from; unset = replay is disabled. */
  readonly replayDir: string | undefined;
}

export function loadReplayConfig(env: Env): ReplayConfig {
  const reader = new EnvReader(env, 'replay');
  const replayDir = reader.read('REPLAY_DIR', matching(/^[^\u0000]+$/, 4096, 'a directory path'));
  return reader.finish(() => ({ replayDir }));
}
