import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What the broker keeps of a SCRAM-SHA-512 user (RFC 5802 §3, as Kafka stores it in
 * ZooKeeper/KRaft): salt, iteration count, StoredKey and ServerKey. The password itself is
 * dropped as soon as these are derived, so neither a heap dump nor a log can show it.
 */
export interface ScramCredential {
  readonly salt: Buffer;
  readonly iterations: number;
  /** H(ClientKey): checks the client's proof. */
  readonly storedKey: Buffer;
  /** HMAC(SaltedPassword, "Server Key"): signs the server-final message. */
  readonly serverKey: Buffer;
}

/** kafkajs refuses fewer than 4096 iterations, and 4096 is Kafka's minimum for SCRAM-SHA-512. */
export const scramIterations = 4096;
const hash = 'sha512';
const keyBytes = 64;

export function hmac(key: Buffer, data: Buffer | string): Buffer {
  return createHmac(hash, key).update(data).digest();
}

export function sha512(data: Buffer): Buffer {
  return createHash(hash).update(data).digest();
}

/** Hi(password, salt, i) of RFC 5802: PBKDF2 with HMAC-SHA-512. (No SASLprep: Kafka applies none either.) */
function saltedPassword(password: string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, keyBytes, hash);
}

/** The credential of a password, with a fresh random salt unless one is given. */
export function deriveScramCredential(password: string, salt: Buffer = randomBytes(24), iterations = scramIterations): ScramCredential {
  const salted = saltedPassword(password, salt, iterations);
  const clientKey = hmac(salted, 'Client Key');
  return { salt, iterations, storedKey: sha512(clientKey), serverKey: hmac(salted, 'Server Key') };
}

/** Whether `password` is the one `credential` was derived from (constant time in the comparison). */
export function passwordMatches(credential: ScramCredential, password: string): boolean {
  const candidate = deriveScramCredential(password, credential.salt, credential.iterations);
  return timingSafeEqual(candidate.storedKey, credential.storedKey);
}
