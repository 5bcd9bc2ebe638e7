import { awsRegion, matching, oneOf } from './env-schemas.js';
import type { EnvReader } from './env.js';

/**
 * How the functions authenticate to the Kafka brokers (KAFKA_AUTH):
 * - none: unauthenticated (plaintext, or TLS with KAFKA_SSL=true);
 * - iam: SASL/OAUTHBEARER with an MSK IAM token signed by the function's role
 *   (aws-msk-iam-sasl-signer-js), for the kafka-cluster:* actions in its policy;
 * - scram-sha-512: SASL/SCRAM with the user and password of the Secrets Manager secret
 *   KAFKA_SCRAM_SECRET_ID, read at run time once per container.
 */
export type KafkaAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'iam'; /** Region the token is signed for: the cluster's. */ readonly region: string }
  | { readonly kind: 'scram-sha-512'; readonly secretId: string };

export const kafkaAuthKinds = ['none', 'iam', 'scram-sha-512'] as const;

/**
 * MSK only associates secrets whose name starts with AmazonMSK_ (and encrypted with a customer
 * managed key); a name or ARN without it would fail only on AWS, so it is refused here.
 */
const scramSecretId = matching(
  /^(?:arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:secret:AmazonMSK_[A-Za-z0-9/_+=.@-]{1,500}|AmazonMSK_[A-Za-z0-9/_+=.@-]{1,500})$/,
  2048,
  'a Secrets Manager secret name starting with AmazonMSK_ (MSK requires the prefix) or its ARN',
);

/**
 * Reads KAFKA_AUTH and what it needs. The IAM region is the MSK cluster's when MSK_CLUSTER_ARN
 * is used, else AWS_REGION (set in every Lambda).
 */
export function readKafkaAuth(reader: EnvReader, clusterRegion: string | undefined): KafkaAuth {
  const kind = reader.read('KAFKA_AUTH', oneOf(kafkaAuthKinds), 'none');
  if (kind !== 'scram-sha-512' && reader.has('KAFKA_SCRAM_SECRET_ID')) {
    reader.problem('KAFKA_SCRAM_SECRET_ID', 'is set but KAFKA_AUTH is not scram-sha-512; set KAFKA_AUTH=scram-sha-512 or remove it');
  }
  if (kind === 'scram-sha-512') {
    const secretId = reader.require('KAFKA_SCRAM_SECRET_ID', scramSecretId);
    return { kind, secretId: secretId ?? '' };
  }
  if (kind === 'iam') {
    const region = clusterRegion ?? reader.read('AWS_REGION', awsRegion());
    if (region === undefined && !reader.has('AWS_REGION')) reader.problem('AWS_REGION', 'is required with KAFKA_AUTH=iam (the region the MSK IAM token is signed for)');
    return { kind, region: region ?? '' };
  }
  return { kind: 'none' };
}
