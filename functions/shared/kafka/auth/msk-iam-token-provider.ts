import { generateAuthToken, generateAuthTokenFromCredentialsProvider } from 'aws-msk-iam-sasl-signer-js';
import { InfrastructureError } from '../../errors.js';

/** AWS credentials as the SDK's providers resolve them (the signer's AwsCredentialIdentityProvider). */
export type AwsCredentialsProvider = () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>;

/** A kafkajs oauthBearerProvider: resolves `{ value: token }`. */
export type OAuthBearerProvider = () => Promise<{ value: string }>;

/** A token is renewed this long before it expires, so a connection never presents a stale one. */
const renewBeforeExpiryMs = 60_000;

/**
 * MSK IAM tokens from AWS's signer (SigV4 presigned kafka-cluster:Connect URL, valid up to
 * 15 minutes), signed with the function role's credentials (the default provider chain, or
 * `credentials`). kafkajs asks once per connection; one token serves every connection until it
 * is about to expire. Signing is local: no network call unless the credential chain needs one.
 */
export function mskIamTokenProvider(region: string, credentials?: AwsCredentialsProvider): OAuthBearerProvider {
  let current: { value: string; expiryTime: number } | null = null;
  return async () => {
    if (current === null || current.expiryTime - Date.now() < renewBeforeExpiryMs) {
      try {
        const { token, expiryTime } = credentials
          ? await generateAuthTokenFromCredentialsProvider({ region, awsCredentialsProvider: credentials })
          : await generateAuthToken({ region });
        current = { value: token, expiryTime };
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new InfrastructureError(`could not sign an MSK IAM token for ${region}: ${detail}`, { cause: error });
      }
    }
    return { value: current.value };
  };
}
