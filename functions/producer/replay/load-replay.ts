import { ValidationError } from '../../shared/errors.js';
import { parseLogText } from '../../shared/log-formats/index.js';
import type { ProducerEvent } from '../producer-event.js';
import type { ReplayConfig } from './replay-config.js';
import { readReplayFile } from './replay-file.js';
import { parseReplayLabels } from './replay-labels.js';
import { createReplaySource, type ReplayStamp } from './replay-source.js';

/**
 * Reads and parses a replay: the log file (and labels file) named by the event, inside REPLAY_DIR.
 * Everything is checked before the first record is sent, so a bad line fails the invocation
 * without a partial replay. ValidationError when replay is not configured or the files are bad.
 */
export async function loadReplay(event: ProducerEvent, config: ReplayConfig, stamp: ReplayStamp): Promise<ReturnType<typeof createReplaySource>> {
  if (config.replayDir === undefined) throw new ValidationError('replay is disabled: set REPLAY_DIR to the directory replay files are read from');
  if (event.file === undefined) throw new ValidationError('replay needs file');
  const text = await readReplayFile(event.file, config.replayDir, 'log file');
  const records = parseLogText(text, event.format ?? 'synthetic');
  const labels = event.labels === undefined ? null : parseReplayLabels(await readReplayFile(event.labels, config.replayDir, 'labels file'), records.length);
  return createReplaySource(records, labels, stamp);
}
