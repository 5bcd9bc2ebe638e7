/**
 * The dashboard page for the LocalStack deploy: `npm run deploy:localstack` builds it and uploads it
 * to the dashboard bucket the init hook made, so the URL it prints serves a page (the metrics
 * aggregator then keeps data/ current). The init hook already gave the bucket its website
 * configuration and public-read policy (localstack/init/ready.d/10-buckets.sh); the policy is left
 * as the hook made it.
 */
import { createS3Client } from '../../functions/shared/config/index.js';
import type { BuiltDashboard } from '../dashboard/build-dashboard.js';
import { deployDashboard } from '../dashboard/deploy-dashboard.js';

/** The bucket serverless.yml's localstack stage and the init hook use. */
export const localStackDashboardBucket = 'log-anomaly-dashboard';

export interface LocalStackDashboard {
  /** Objects uploaded (index.html last). */
  readonly uploaded: number;
  /** Whether the page could be fetched back through the endpoint. */
  readonly verified: boolean;
}

/** LocalStack takes any credentials; these are the ones its documentation uses. */
const localStackCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export async function uploadLocalStackDashboard(options: {
  endpoint: string;
  region: string;
  bucket?: string;
  built?: BuiltDashboard;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): Promise<LocalStackDashboard> {
  // Path-style because the endpoint is an address, not a bucket host name.
  const s3 = createS3Client(
    { region: options.region, endpoint: options.endpoint, forcePathStyle: true, modelBucket: 'unused' },
    { credentials: options.credentials ?? localStackCredentials, maxAttempts: 3 },
  );
  try {
    const deployed = await deployDashboard({
      s3,
      bucket: options.bucket ?? localStackDashboardBucket,
      publicRead: false,
      ...(options.built === undefined ? {} : { built: options.built }),
    });
    return { uploaded: deployed.uploaded.length, verified: deployed.verified };
  } finally {
    s3.destroy();
  }
}
