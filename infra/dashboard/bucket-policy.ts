/**
 * The dashboard bucket's policy: anyone may GET the page, its assets and its data objects; nothing
 * else (no listing, no writes, no other key). The model bucket gets no policy: it stays private.
 */
export const PUBLIC_PREFIXES: readonly string[] = ['index.html', 'assets/*', 'data/*'];

export interface BucketPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<{
    readonly Sid: string;
    readonly Effect: 'Allow';
    readonly Principal: '*';
    readonly Action: 's3:GetObject';
    readonly Resource: readonly string[];
  }>;
}

export function dashboardBucketPolicy(bucket: string): BucketPolicy {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PublicReadDashboardObjectsOnly',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: PUBLIC_PREFIXES.map((key) => `arn:aws:s3:::${bucket}/${key}`),
      },
    ],
  };
}
