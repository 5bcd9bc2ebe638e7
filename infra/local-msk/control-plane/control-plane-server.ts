// Placeholder until the MSK control plane lands (being written now).
import type { Logger } from '../logger.js';

/** The one cluster the local MSK registers, as the control plane describes it. */
export interface LocalCluster {
  clusterName: string;
  clusterArn: string;
  /** Comma-separated host:port list, as GetBootstrapBrokers returns it. */
  bootstrapBrokers: string;
  region: string;
  /** ISO-8601 creation time. */
  creationTime: string;
  kafkaVersion: string;
  numberOfBrokerNodes: number;
}

export interface ControlPlaneOptions {
  host: string;
  port: number;
  cluster: LocalCluster;
  logger: Logger;
}

export interface RunningControlPlane {
  /** e.g. http://127.0.0.1:4510 — give it to @aws-sdk/client-kafka as `endpoint`. */
  url: string;
  close(): Promise<void>;
}

export async function startControlPlane(_options: ControlPlaneOptions): Promise<RunningControlPlane> {
  throw new Error('control plane is not available yet');
}
