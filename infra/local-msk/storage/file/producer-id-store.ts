/**
 * Producer ids that never repeat across restarts. The file holds the first id NOT yet
 * reserved; ids are reserved in blocks, so the file is rewritten once per block. After a
 * crash the unused rest of a block is skipped, never reused.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file.js';

const blockSize = 1000;
/** First id of a fresh data directory (as the in-memory store). */
const firstProducerId = 1000;

export class ProducerIdStore {
  private next = firstProducerId;
  private reservedUpTo = firstProducerId;
  private reserving: Promise<void> | null = null;

  private constructor(private readonly file: string) {}

  static async open(file: string): Promise<ProducerIdStore> {
    const store = new ProducerIdStore(file);
    let text: string | null = null;
    try {
      text = (await readFile(file, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== null) {
      const value = Number(text);
      if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
        throw new Error(`producer id file ${file} is unreadable; remove it only if no producer id from before must stay unique`);
      }
      store.next = store.reservedUpTo = Math.max(value, firstProducerId);
    }
    return store;
  }

  async allocate(): Promise<number> {
    while (this.next >= this.reservedUpTo) {
      this.reserving ??= this.reserveBlock().finally(() => {
        this.reserving = null;
      });
      await this.reserving;
    }
    return this.next++;
  }

  private async reserveBlock(): Promise<void> {
    const upTo = this.reservedUpTo + blockSize;
    await writeFileAtomic(this.file, `${upTo}\n`);
    this.reservedUpTo = upTo;
  }
}
