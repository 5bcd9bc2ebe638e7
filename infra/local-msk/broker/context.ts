import type { BrokerAuth } from '../auth/broker-auth.js';
import type { Clock } from '../clock.js';
import type { GroupCoordinator } from '../groups/group-coordinator.js';
import type { Logger } from '../logger.js';
import type { ProducerStateTable } from '../producers/producer-state.js';
import type { ApiVersionRange } from '../protocol/requests/apiVersions/index.js';
import type { Storage } from '../storage/storage.js';
import type { TopicManager } from '../topics/topic-manager.js';

/** This broker's identity as clients see it in Metadata and FindCoordinator. */
export interface BrokerIdentity {
  nodeId: number;
  /** Host advertised to clients. */
  host: string;
  /** Port advertised to clients (the port actually bound). */
  port: number;
  clusterId: string;
}

/** Everything a handler may touch. One instance per running broker. */
export interface BrokerContext {
  readonly identity: BrokerIdentity;
  readonly topics: TopicManager;
  readonly groups: GroupCoordinator;
  /** Idempotent producers' recent sequences (memory only; lost on restart). */
  readonly producers: ProducerStateTable;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Versions advertised by ApiVersions (computed from the registry). */
  readonly apiVersions: readonly ApiVersionRange[];
  /** Largest record batch Produce accepts when the topic sets no max.message.bytes (bytes). */
  readonly maxMessageBytes: number;
  /** SASL mode, users and mechanisms. */
  readonly auth: BrokerAuth;
}
