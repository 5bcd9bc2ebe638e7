import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../infra/local-msk/broker.js';
import type { BrokerConfig } from '../../infra/local-msk/config.js';
import { createMemoryLogger, type LoggedLine } from '../../infra/local-msk/logger.js';

export interface TestBroker extends RunningBroker {
  /** Lines the broker logged (kept in memory, nothing printed). */
  readonly logLines: LoggedLine[];
}

/** An in-memory broker on a free port, with the control plane off unless asked for. */
export async function startTestBroker(overrides: Partial<BrokerConfig> = {}): Promise<TestBroker> {
  const logger = createMemoryLogger();
  const broker = await startBroker(
    { port: 0, controlPlanePort: null, initialRebalanceDelayMs: 0, advertisedHost: '127.0.0.1', ...overrides },
    { logger },
  );
  return Object.assign(broker, { logLines: logger.lines });
}

/** A kafkajs client for the broker that logs nothing and retries little, so failures surface fast. */
export function kafkaClient(broker: Pick<RunningBroker, 'bootstrap'>, config: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'local-msk-test',
    brokers: [broker.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: 3, initialRetryTime: 50 },
    ...config,
  });
}
