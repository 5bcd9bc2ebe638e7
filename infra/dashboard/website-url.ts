/**
 * Where a browser opens the dashboard. With an S3 endpoint override (s3rver, LocalStack) the bucket
 * is path-style under the endpoint: s3rver serves the website index at `/<bucket>/`; any S3 API
 * serves `/<bucket>/index.html`. On AWS it is the bucket's website endpoint.
 */

/** Regions whose website endpoint uses a dash (s3-website-<region>); the others use a dot. */
const DASH_REGIONS = new Set(['us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1', 'us-gov-west-1']);

export function candidateUrls(bucket: string, endpoint: string | undefined, region: string): string[] {
  if (endpoint !== undefined) {
    const base = endpoint.replace(/\/+$/, '');
    return [`${base}/${bucket}/`, `${base}/${bucket}/index.html`];
  }
  const host = DASH_REGIONS.has(region) ? `${bucket}.s3-website-${region}.amazonaws.com` : `${bucket}.s3-website.${region}.amazonaws.com`;
  return [`http://${host}/`];
}
