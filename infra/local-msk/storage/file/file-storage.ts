// Placeholder until the segment-file storage lands (being written now).
import type { Logger } from '../../logger.js';
import type { Storage } from '../storage.js';

export interface FileStorageOptions {
  /** Roll a partition's active segment once it reaches this many bytes. */
  segmentBytes: number;
  logger: Logger;
}

export async function openFileStorage(_dataDir: string, _options: FileStorageOptions): Promise<Storage> {
  throw new Error('file storage is not available yet');
}
