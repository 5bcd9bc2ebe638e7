import type { SASLOptions } from 'kafkajs';
import type { KafkaAuth } from '../../config/kafka-auth-config.js';
import { mskIamTokenProvider, type AwsCredentialsProvider } from './msk-iam-token-provider.js';
import { scramCredentials, type ScramSecretSource } from './scram-secret.js';

export interface KafkaSaslDependencies {
  /** Where SCRAM secrets are read (default: Secrets Manager through the SDK). */
  secretSource?: ScramSecretSource;
  /** Credentials IAM tokens are signed with (default: the AWS provider chain, i.e. the function's role). */
  iamCredentials?: AwsCredentialsProvider;
}

/** kafkajs's `sasl` option for a KafkaAuth: undefined for none; SCRAM reads its secret (once per container). */
export async function kafkaSasl(auth: KafkaAuth, dependencies: KafkaSaslDependencies = {}): Promise<SASLOptions | undefined> {
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'scram-sha-512': {
      const { username, password } = await scramCredentials(auth.secretId, dependencies.secretSource);
      return { mechanism: 'scram-sha-512', username, password };
    }
    case 'iam':
      return { mechanism: 'oauthbearer', oauthBearerProvider: mskIamTokenProvider(auth.region, dependencies.iamCredentials) };
  }
}
