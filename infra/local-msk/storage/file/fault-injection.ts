/**
 * TEST-ONLY storage faults: lets a test make a real broker process meet a full disk or a stuck
 * write on one partition, which no real disk does on demand. Never set it outside tests.
 *
 *   LOCAL_MSK_TEST_STORAGE_FAULTS="<topic>-<partition>=<action>@<bytes>[,...]"
 *
 * `<bytes>` counts the bytes this broker process has written to that partition's log files
 * since it started. The first write that would take the count past it triggers the fault,
 * once:
 *   fail@N - writes only the bytes up to N (a short write, as on a full disk), then fails with
 *            ENOSPC; later writes succeed again (as if space had been freed);
 *   hang@N - writes nothing and never completes (a stuck device): that write and every later
 *            one of the partition wait forever, so the broker must be killed, not stopped.
 * A bad value stops start-up with a message naming the variable.
 */
import type { FileHandle } from 'node:fs/promises';
import { ConfigError } from '../../errors.js';
import type { Logger } from '../../logger.js';

export const storageFaultsVariable = 'LOCAL_MSK_TEST_STORAGE_FAULTS';

export type StorageFaultAction = 'fail' | 'hang';

export interface StorageFault {
  action: StorageFaultAction;
  /** Bytes written to the partition (this process) before the fault strikes. */
  afterBytes: number;
}

/** Faults by partition directory name (`<topic>-<partition>`). */
export type StorageFaultPlan = ReadonlyMap<string, StorageFault>;

/** A positional vectored write of `total` bytes at `position`; resolves once all are written. */
export type SegmentWrite = (handle: FileHandle, buffers: Buffer[], total: number, position: number) => Promise<void>;

const faultPattern = /^(.+)=(fail|hang)@(\d{1,15})$/;

/** Parses the variable's value; undefined or empty means no faults. */
export function parseStorageFaults(text: string | undefined): StorageFaultPlan {
  const plan = new Map<string, StorageFault>();
  if (text === undefined || text.trim() === '') return plan;
  for (const item of text.split(',')) {
    const match = faultPattern.exec(item.trim());
    if (!match) {
      throw new ConfigError(`${storageFaultsVariable}: ${JSON.stringify(item.slice(0, 80))} is not <topic>-<partition>=fail@<bytes> or hang@<bytes>`);
    }
    plan.set(match[1]!, { action: match[2] as StorageFaultAction, afterBytes: Number(match[3]) });
  }
  return plan;
}

/** Wraps `write` so that `fault` strikes once, as described above. */
export function withStorageFault(write: SegmentWrite, fault: StorageFault, partition: string, logger: Logger): SegmentWrite {
  let written = 0;
  let armed = true;
  return async (handle, buffers, total, position) => {
    if (!armed || written + total <= fault.afterBytes) {
      await write(handle, buffers, total, position);
      written += total;
      return;
    }
    armed = false;
    logger.warn('TEST-ONLY storage fault injected', { partition, action: fault.action, afterBytes: fault.afterBytes, position });
    if (fault.action === 'hang') return new Promise<void>(() => undefined);
    const room = fault.afterBytes - written;
    if (room > 0) await write(handle, [Buffer.concat(buffers, total).subarray(0, room)], room, position);
    written += Math.max(0, room);
    throw Object.assign(new Error('ENOSPC: no space left on device (injected test fault)'), { code: 'ENOSPC' });
  };
}
