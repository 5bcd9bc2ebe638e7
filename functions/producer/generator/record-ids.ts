import type { Prng } from './prng.js';

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** 8 lowercase hex digits of a 32-bit word. */
export function hex8(word: number): string {
  return (HEX_BYTE[word >>> 24] as string) + (HEX_BYTE[(word >>> 16) & 255] as string) + (HEX_BYTE[(word >>> 8) & 255] as string) + (HEX_BYTE[word & 255] as string);
}

/** A W3C trace id: 32 lowercase hex digits, never all zero. */
export function traceId(rng: Prng): string {
  const id = hex8(rng.uint32()) + hex8(rng.uint32()) + hex8(rng.uint32()) + hex8(rng.uint32());
  return id === '00000000000000000000000000000000' ? '00000000000000000000000000000001' : id;
}

/**
 * A UUID-v4-shaped record id from 128 PRNG bits XORed with a salt, so two runs with the same seed
 * but different salts (experiment ids) never share ids, while one run stays deterministic.
 */
export function recordId(rng: Prng, salt: readonly [number, number, number, number]): string {
  const h = hex8((rng.uint32() ^ salt[0]) >>> 0) + hex8((rng.uint32() ^ salt[1]) >>> 0) + hex8((rng.uint32() ^ salt[2]) >>> 0) + hex8((rng.uint32() ^ salt[3]) >>> 0);
  const variant = '89ab'[parseInt(h[16] as string, 16) & 3] as string;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
