import { awsRegion, boolean, httpUrl, matching } from './env-schemas.js';
import { EnvReader, type Env } from './env.js';

export interface S3Config {
  /** AWS_REGION (Lambda always sets it). */
  readonly region: string;
  /** AWS_ENDPOINT_URL_S3, else AWS_ENDPOINT_URL: an emulator such as s3rver; undefined = AWS. */
  readonly endpoint: string | undefined;
  /** S3_FORCE_PATH_STYLE; defaults to true when an endpoint is set (emulators have no bucket DNS names). */
  readonly forcePathStyle: boolean;
  /** MODEL_BUCKET: where model artifacts live. */
  readonly modelBucket: string;
}

export const defaultRegion = 'us-east-1';
export const defaultModelBucket = 'log-anomaly-models';

/** S3 bucket naming rules: 3–63 of lowercase letters, digits, "." and "-", starting and ending alphanumeric. */
const bucketSchema = matching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 63, 'an S3 bucket name of lowercase letters, digits, "." and "-"');

export function loadS3Config(env: Env): S3Config {
  const reader = new EnvReader(env, 'S3');
  const region = reader.read('AWS_REGION', awsRegion(), defaultRegion);
  const endpointVariable = reader.has('AWS_ENDPOINT_URL_S3') ? 'AWS_ENDPOINT_URL_S3' : 'AWS_ENDPOINT_URL';
  const endpoint = reader.read(endpointVariable, httpUrl());
  const forcePathStyle = reader.read('S3_FORCE_PATH_STYLE', boolean(), endpoint !== undefined);
  const modelBucket = reader.read('MODEL_BUCKET', bucketSchema, defaultModelBucket);
  return reader.finish(() => ({ region, endpoint, forcePathStyle, modelBucket }));
}
