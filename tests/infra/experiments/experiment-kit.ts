/** Real services for experiment tests: a local MSK broker, a fresh PostgreSQL database and s3rver. */
import { startTestBroker, type TestBroker } from '../../helpers/broker.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../../helpers/s3.js';
import type { ExperimentSpec } from '../../../infra/experiments/experiment-spec.js';
import { specDefaults } from '../../../infra/experiments/experiment-spec.js';

export const MODEL_BUCKET = 'models';

export interface ExperimentTestServices {
  readonly broker: TestBroker;
  readonly db: TestDatabase;
  readonly s3: TestS3;
  /** The variables a runner (in-process or a CLI child) reads to reach these services. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startExperimentTestServices(): Promise<ExperimentTestServices> {
  const [broker, db, s3] = await Promise.all([startTestBroker({ controlPlanePort: 0 }), createTestDatabase(), startTestS3([MODEL_BUCKET])]);
  const env = {
    KAFKA_BOOTSTRAP_SERVERS: broker.bootstrap,
    MSK_CLUSTER_ARN: broker.clusterArn,
    DATABASE_URL: db.connectionString,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    MODEL_BUCKET,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    // A smaller reference model keeps the tests quick; the runner reads these as the detector does.
    FOREST_TREES: '50',
    TRAINING_WINDOW: '500',
  };
  let stopped = false;
  return {
    broker,
    db,
    s3,
    env,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.allSettled([broker.close(), db.drop(), s3.stop()]);
    },
  };
}

/** A few seconds at a modest rate: enough records for every figure, quick enough for npm test. */
export function shortSpec(overrides: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    ...specDefaults,
    name: 'short',
    producers: 2,
    consumers: 2,
    partitions: 3,
    durationSeconds: 4,
    ratePerProducer: 40,
    batchingWindowSeconds: 0.2,
    anomalyRate: 0.1,
    drainTimeoutSeconds: 20,
    ...overrides,
  };
}
