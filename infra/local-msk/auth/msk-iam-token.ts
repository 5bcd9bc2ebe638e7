import { strictBase64Url } from './sasl-text.js';

/**
 * Checks the shape of an MSK IAM token, as AWS's signers (aws-msk-iam-sasl-signer-js and the
 * Java/Python/Go ones) produce it: the base64url of a SigV4 presigned URL
 *
 *   https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect
 *     &X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=<key id>%2F<yyyymmdd>%2F<region>%2Fkafka-cluster%2Faws4_request
 *     &X-Amz-Date=<yyyymmddThhmmssZ>&X-Amz-Expires=<s>&X-Amz-SignedHeaders=host&X-Amz-Signature=<64 hex>
 *     [&X-Amz-Security-Token=…][&User-Agent=…]
 *
 * Structure, region and expiry are checked; the signature is NOT (that needs the caller's
 * secret key, which only AWS holds). So this proves a client built a real-looking, unexpired
 * token for the right region, not who the client is.
 */
export type TokenCheck = { ok: true; accessKeyId: string; expiresAtMs: number } | { ok: false; reason: string };

/** Tokens are valid for at most 15 minutes (the signer's ceiling). */
const maxExpiresSeconds = 900;
/** A token dated this far in the future is refused (clock skew allowance, as SigV4's 5 minutes). */
const maxSkewMs = 5 * 60 * 1000;
const amzDatePattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const credentialPattern = /^([A-Z0-9]{16,128})\/(\d{8})\/([a-z]{2}(?:-[a-z]+)+-\d{1,2})\/kafka-cluster\/aws4_request$/;
const allowedParameters = new Set([
  'Action', 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token', 'User-Agent',
]);

export function checkMskIamToken(token: string, region: string, nowMs: number): TokenCheck {
  const bad = (reason: string): TokenCheck => ({ ok: false, reason });
  const decoded = strictBase64Url(token);
  if (decoded === null) return bad('IAM token is not base64url');
  let url: URL;
  try {
    url = new URL(decoded.toString('utf8'));
  } catch {
    return bad('IAM token is not a URL');
  }
  if (url.protocol !== 'https:' || url.pathname !== '/' || url.username !== '' || url.port !== '' || url.hash !== '') return bad('IAM token is not an MSK presigned URL');
  if (url.hostname !== `kafka.${region}.amazonaws.com` && url.hostname !== `kafka.${region}.amazonaws.com.cn`) return bad(`IAM token is not signed for region ${region}`);
  const query = url.searchParams;
  for (const key of query.keys()) if (!allowedParameters.has(key) || query.getAll(key).length !== 1) return bad('IAM token has unexpected query parameters');
  if (query.get('Action') !== 'kafka-cluster:Connect') return bad('IAM token is not for kafka-cluster:Connect');
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return bad('IAM token is not signed with AWS4-HMAC-SHA256');
  if (query.get('X-Amz-SignedHeaders') !== 'host') return bad('IAM token must sign exactly the host header');
  if (!/^[0-9a-f]{64}$/.test(query.get('X-Amz-Signature') ?? '')) return bad('IAM token has no SigV4 signature');
  const credential = credentialPattern.exec(query.get('X-Amz-Credential') ?? '');
  if (!credential) return bad('IAM token has a malformed credential scope');
  if (credential[3] !== region) return bad(`IAM token is not signed for region ${region}`);
  const date = amzDatePattern.exec(query.get('X-Amz-Date') ?? '');
  if (!date || `${date[1]}${date[2]}${date[3]}` !== credential[2]) return bad('IAM token has a malformed X-Amz-Date');
  const signedAtMs = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), Number(date[4]), Number(date[5]), Number(date[6]));
  const expires = Number(query.get('X-Amz-Expires'));
  if (!/^\d{1,4}(?:\.\d{1,6})?$/.test(query.get('X-Amz-Expires') ?? '') || !(expires > 0 && expires <= maxExpiresSeconds)) {
    return bad(`IAM token X-Amz-Expires must be between 1 and ${maxExpiresSeconds} seconds`);
  }
  if (!Number.isFinite(signedAtMs) || signedAtMs > nowMs + maxSkewMs) return bad('IAM token is dated in the future');
  const expiresAtMs = signedAtMs + expires * 1000;
  if (expiresAtMs <= nowMs) return bad('IAM token has expired');
  return { ok: true, accessKeyId: credential[1]!, expiresAtMs };
}
