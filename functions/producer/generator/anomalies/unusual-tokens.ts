/**
 * Tokens that keyword anomalies carry and normal traffic never does (the config validation rejects
 * templates containing any of them, case-insensitively): unusual error codes, crash signals and
 * resource exhaustion messages.
 */
export const UNUSUAL_TOKENS = [
  'ERR_0xDEADBEEF',
  'SEGFAULT',
  'OOMKilled',
  'disk quota exceeded',
  'kernel panic',
  'SIGBUS',
  'stack smashing detected',
  'E_CORRUPT_INDEX',
  'CERT_HAS_EXPIRED',
  'split-brain',
] as const;

export type UnusualToken = (typeof UNUSUAL_TOKENS)[number];
