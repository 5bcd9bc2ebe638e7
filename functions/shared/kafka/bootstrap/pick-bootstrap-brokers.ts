import type { GetBootstrapBrokersResponse } from '@aws-sdk/client-kafka';
import { ConfigError } from '../../errors.js';

/** How a client must talk to the brokers of a bootstrap list. */
export type BrokerTransport = 'plaintext' | 'tls' | 'sasl-iam' | 'sasl-scram';

export interface PickedBrokers {
  readonly brokers: readonly string[];
  readonly transport: BrokerTransport;
}

/** GetBootstrapBrokers fields in the order they are tried (private VPC listeners only). */
const listeners: ReadonlyArray<{ field: keyof GetBootstrapBrokersResponse; transport: BrokerTransport }> = [
  { field: 'BootstrapBrokerString', transport: 'plaintext' },
  { field: 'BootstrapBrokerStringTls', transport: 'tls' },
  { field: 'BootstrapBrokerStringSaslIam', transport: 'sasl-iam' },
  { field: 'BootstrapBrokerStringSaslScram', transport: 'sasl-scram' },
];

/**
 * Chooses a bootstrap list from a GetBootstrapBrokers answer: plaintext first (TLS first when
 * `preferTls`), then TLS, then SASL/IAM, then SASL/SCRAM. Throws ConfigError when the cluster
 * offers none of them.
 */
export function pickBootstrapBrokers(
  response: GetBootstrapBrokersResponse,
  clusterArn: string,
  preferTls = false,
  /** With KAFKA_AUTH iam/scram-sha-512 only that SASL listener will do (MSK serves each mechanism on its own port). */
  auth: 'none' | 'iam' | 'scram-sha-512' = 'none',
): PickedBrokers {
  const order =
    auth === 'iam' ? [listeners[2]!] : auth === 'scram-sha-512' ? [listeners[3]!] : preferTls ? [listeners[1]!, listeners[0]!, ...listeners.slice(2)] : listeners;
  for (const { field, transport } of order) {
    const value = response[field];
    if (typeof value !== 'string') continue;
    const brokers = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (brokers.length > 0) return { brokers, transport };
  }
  if (auth !== 'none') {
    throw new ConfigError(
      `MSK cluster ${clusterArn} returned no ${auth === 'iam' ? 'SASL/IAM' : 'SASL/SCRAM'} bootstrap brokers, but KAFKA_AUTH=${auth}; ` +
        'turn that client authentication on for the cluster, or change KAFKA_AUTH',
    );
  }
  throw new ConfigError(
    `MSK cluster ${clusterArn} returned no plaintext, TLS, SASL/IAM or SASL/SCRAM bootstrap brokers; ` +
      'check that the cluster is ACTIVE and has a client listener inside the VPC',
  );
}
