/**
 * A stable numeric encoding of a service name that needs no fitted vocabulary: 32-bit FNV-1a over
 * the name's UTF-16 code units, divided by 2^32, so the value lies in [0, 1). The same name always
 * maps to the same value in every process and release (while FEATURE_SCHEMA_VERSION is unchanged),
 * so a stored model stays valid when services come and go.
 */
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const TWO_POW_32 = 4294967296;

export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

export function serviceHash01(service: string): number {
  return fnv1a32(service) / TWO_POW_32;
}
