import { LocalMskError } from '../errors.js';

/**
 * Data could not be stored: a write, sync or clean-up of a partition's files failed (disk
 * full, I/O error). Nothing of the batches it names is visible or left in the log; Produce
 * answers it with KAFKA_STORAGE_ERROR, which clients retry.
 */
export class StorageWriteError extends LocalMskError {}
