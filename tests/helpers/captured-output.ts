/**
 * Captures what the code under test writes to stdout and stderr (Powertools Logger writes there
 * through its own Console, not the global console), without passing it on, and reads it back as
 * JSON log lines. Call restore() in a finally block or afterAll.
 */
import { vi } from 'vitest';

export interface CapturedOutput {
  /** Every line that parses as a JSON object, in the order written (stdout and stderr together). */
  jsonLines(): Record<string, unknown>[];
  /** Forgets what was captured so far. */
  clear(): void;
  restore(): void;
}

export function captureOutput(): CapturedOutput {
  let text = '';
  const capture = (chunk: unknown, ...rest: unknown[]): boolean => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    const callback = rest.find((each) => typeof each === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  };
  const spies = [vi.spyOn(process.stdout, 'write').mockImplementation(capture as never), vi.spyOn(process.stderr, 'write').mockImplementation(capture as never)];
  return {
    jsonLines() {
      return text.split('\n').flatMap((line) => {
        if (!line.trim().startsWith('{')) return [];
        try {
          const parsed = JSON.parse(line) as unknown;
          return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? [parsed as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
    },
    clear() {
      text = '';
    },
    restore() {
      for (const spy of spies) spy.mockRestore();
    },
  };
}
