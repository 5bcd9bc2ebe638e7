import { strictBase64 } from './sasl-text.js';

/**
 * The client's two SCRAM messages, parsed by the grammar of RFC 5802 §7:
 *
 *   client-first-message = gs2-header client-first-message-bare
 *   gs2-header           = gs2-cbind-flag "," [ "a=" saslname ] ","
 *   gs2-cbind-flag       = ("p=" cb-name) / "n" / "y"
 *   client-first-message-bare = [reserved-mext ","] "n=" saslname "," "r=" c-nonce ["," extensions]
 *   client-final-message = "c=" base64 "," "r=" nonce ["," extensions] "," "p=" base64
 *   saslname             = 1*(value-safe-char / "=2C" / "=3D")
 *   nonce                = 1*printable          (0x21-0x7E except ",")
 *
 * Anything else is refused with a reason (null result + fixed text), never by throwing.
 */

export interface ClientFirst {
  readonly gs2Header: string;
  readonly username: string;
  readonly clientNonce: string;
  /** client-first-message-bare: it is part of the AuthMessage both sides sign. */
  readonly bare: string;
}

export interface ClientFinal {
  readonly channelBinding: Buffer;
  readonly nonce: string;
  readonly proof: Buffer;
  /** client-final-message-without-proof, the last part of the AuthMessage. */
  readonly withoutProof: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Longest user name accepted, in characters (Kafka user names are short; this bounds the work). */
export const maxUsernameChars = 256;
const maxNonceChars = 256;
const noncePattern = /^[\x21-\x2b\x2d-\x7e]+$/;

function bad<T>(reason: string): Parsed<T> {
  return { ok: false, reason };
}

/** saslname → the name it stands for; null when a "=" is not "=2C" or "=3D". */
function decodeSaslName(text: string): string | null {
  if (text === '' || /=(?!2C|3D)/.test(text)) return null;
  return text.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

export function parseClientFirst(text: string): Parsed<ClientFirst> {
  const invalid = 'invalid SCRAM client-first message';
  const parts = text.split(',');
  if (parts.length < 4) return bad(invalid);
  const [flag, authzid] = parts;
  if (flag!.startsWith('p=')) return bad('SCRAM channel binding is not supported');
  if (flag !== 'n' && flag !== 'y') return bad(invalid);
  if (authzid !== '' && !authzid!.startsWith('a=')) return bad(invalid);
  const bareParts = parts.slice(2);
  if (bareParts[0]!.startsWith('m=')) return bad('SCRAM mandatory extensions are not supported');
  const [userPart, noncePart, ...extensions] = bareParts;
  if (!userPart!.startsWith('n=') || !noncePart!.startsWith('r=')) return bad(invalid);
  const username = decodeSaslName(userPart!.slice(2));
  if (username === null || username.length > maxUsernameChars) return bad(invalid);
  if (authzid !== '' && decodeSaslName(authzid!.slice(2)) !== username) return bad('SCRAM authorization id must be the user name');
  const clientNonce = noncePart!.slice(2);
  if (!noncePattern.test(clientNonce) || clientNonce.length > maxNonceChars) return bad(invalid);
  // Kafka's only extension is tokenauth=true (delegation tokens), which this broker does not issue.
  if (extensions.some((extension) => extension.startsWith('tokenauth='))) return bad('delegation tokens are not supported');
  if (extensions.some((extension) => !/^[A-Za-z]+=/.test(extension))) return bad(invalid);
  return { ok: true, value: { gs2Header: `${flag},${authzid},`, username, clientNonce, bare: bareParts.join(',') } };
}

export function parseClientFinal(text: string): Parsed<ClientFinal> {
  const invalid = 'invalid SCRAM client-final message';
  const parts = text.split(',');
  if (parts.length < 3) return bad(invalid);
  const [bindingPart, noncePart] = parts;
  const proofPart = parts[parts.length - 1]!;
  if (!bindingPart!.startsWith('c=') || !noncePart!.startsWith('r=') || !proofPart.startsWith('p=')) return bad(invalid);
  const channelBinding = strictBase64(bindingPart!.slice(2));
  const proof = strictBase64(proofPart.slice(2));
  if (channelBinding === null || proof === null) return bad(invalid);
  const nonce = noncePart!.slice(2);
  if (!noncePattern.test(nonce)) return bad(invalid);
  return { ok: true, value: { channelBinding, nonce, proof, withoutProof: parts.slice(0, -1).join(',') } };
}
