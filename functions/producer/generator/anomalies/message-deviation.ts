import { MAX_MESSAGE_BYTES } from '../../../shared/log/log-record.js';
import type { CompiledConfig } from '../generator-config.js';
import type { LogDraft } from '../log-draft.js';
import { drawNormalLog } from '../normal-log.js';
import type { Prng } from '../prng.js';

/** Stack traces run to this many frames; with ~80-char frames they stay under the message limit. */
const MIN_FRAMES = 40;
const MAX_FRAMES = 160;
/** Binary-ish blobs are this many characters (each 1–3 UTF-8 bytes). */
const MIN_BLOB_CHARS = 512;
const MAX_BLOB_CHARS = 4096;
/** Truncated messages keep at most this many characters (0 = empty message). */
export const MAX_TRUNCATED_CHARS = 5;

const PACKAGES = ['orders', 'payments', 'users', 'inventory', 'notify', 'auth', 'http', 'db'] as const;
const CLASSES = ['RequestHandler', 'Repository', 'ConnectionPool', 'Serializer', 'RetryPolicy', 'Controller', 'EventBus'] as const;
const METHODS = ['handle', 'process', 'execute', 'lambda$0', 'invoke', 'apply', 'run'] as const;
const EXCEPTIONS = ['java.lang.IllegalStateException', 'java.lang.NullPointerException', 'java.util.ConcurrentModificationException', 'io.netty.handler.codec.DecoderException'] as const;

/**
 * A message-deviation anomaly: a known service at a usual hour whose message has an abnormal
 * length or structure. One of three shapes, equally likely:
 * - a multi-line stack-trace dump (about 3–13 KiB);
 * - a binary-ish blob (control characters, Latin-1 bytes decoded as text, U+FFFD), never U+0000;
 * - a truncated message: a normal message cut to 0–5 characters.
 */
export function drawMessageDeviation(rng: Prng, config: CompiledConfig, logTimeMs: number): LogDraft {
  const normal = drawNormalLog(rng, config.services.pick(rng), logTimeMs);
  const shape = rng.int(3);
  if (shape === 0) return { ...normal, level: 'ERROR', message: stackTrace(rng) };
  if (shape === 1) return { ...normal, message: binaryBlob(rng) };
  return { ...normal, message: normal.message.slice(0, rng.int(Math.min(MAX_TRUNCATED_CHARS, normal.message.length) + 1)) };
}

function stackTrace(rng: Prng): string {
  const lines = [`Unhandled exception: ${rng.pick(EXCEPTIONS)}: unexpected state in ${rng.pick(CLASSES)}`];
  let bytes = lines[0]!.length;
  const frames = rng.between(MIN_FRAMES, MAX_FRAMES);
  for (let i = 0; i < frames; i++) {
    const className = rng.pick(CLASSES);
    const frame = `\tat com.example.${rng.pick(PACKAGES)}.${className}.${rng.pick(METHODS)}(${className}.java:${rng.between(12, 900)})`;
    if (bytes + frame.length + 1 > MAX_MESSAGE_BYTES - 64) break;
    lines.push(frame);
    bytes += frame.length + 1;
  }
  return lines.join('\n');
}

function binaryBlob(rng: Prng): string {
  const length = rng.between(MIN_BLOB_CHARS, MAX_BLOB_CHARS);
  const chars: number[] = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    const roll = rng.int(8);
    // 1/8 C0 controls (U+0001–U+001F), 1/8 U+FFFD, the rest U+007F–U+00FF.
    chars[i] = roll === 0 ? rng.between(0x01, 0x1f) : roll === 1 ? 0xfffd : rng.between(0x7f, 0xff);
  }
  let text = '';
  for (let start = 0; start < length; start += 1024) text += String.fromCharCode(...chars.slice(start, start + 1024));
  return text;
}
