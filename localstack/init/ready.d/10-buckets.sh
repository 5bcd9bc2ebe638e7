#!/bin/sh
# LocalStack init hook (ready stage): the pipeline's S3 buckets, with the settings serverless.yml
# gives them on AWS (resources ModelBucket, DashboardBucket, DashboardBucketPublicRead; the
# localstack stage leaves those out of its stack because this hook already made them):
#   MODEL_BUCKET      private: every public-access block on, owner-enforced, SSE-S3
#   DASHBOARD_BUCKET  static website (index.html); public reads of its objects through one bucket
#                     policy (s3:GetObject only: no listing, no writes); ACLs blocked
#   DEPLOYMENT_BUCKET private; where `serverless deploy --stage localstack` uploads its packages
# Runs inside the LocalStack container (awslocal is on its PATH) each time LocalStack is ready;
# every step is idempotent. A failure stops the hook, and LocalStack reports it at
# /_localstack/init/ready, which the compose health check reads.
set -eu

model_bucket="${MODEL_BUCKET:-log-anomaly-models}"
dashboard_bucket="${DASHBOARD_BUCKET:-log-anomaly-dashboard}"
deployment_bucket="${DEPLOYMENT_BUCKET:-log-anomaly-deployments}"
# The JSON settings files; docker-compose.yml mounts localstack/buckets at /etc/localstack/buckets.
settings="${BUCKET_SETTINGS_DIR:-$(dirname "$0")/../../buckets}"

# S3 bucket names: 3-63 of a-z 0-9 . -, starting and ending with a letter or digit (anything else
# is refused before it reaches a command line).
for bucket in "$model_bucket" "$dashboard_bucket" "$deployment_bucket"; do
  case "$bucket" in
    *[!a-z0-9.-]* | [!a-z0-9]* | *[!a-z0-9] | "" | ?? | ?) echo "init hook: invalid bucket name '$bucket'" >&2; exit 1 ;;
  esac
  if [ "${#bucket}" -gt 63 ]; then echo "init hook: bucket name '$bucket' is longer than 63 characters" >&2; exit 1; fi
done

make_bucket() {
  if awslocal s3api head-bucket --bucket "$1" >/dev/null 2>&1; then
    echo "init hook: bucket $1 exists"
  else
    awslocal s3api create-bucket --bucket "$1" >/dev/null
    echo "init hook: bucket $1 created"
  fi
  awslocal s3api put-bucket-ownership-controls --bucket "$1" --ownership-controls "file://$settings/ownership.json"
  awslocal s3api put-bucket-encryption --bucket "$1" --server-side-encryption-configuration "file://$settings/encryption.json"
}

for bucket in "$model_bucket" "$deployment_bucket"; do
  make_bucket "$bucket"
  awslocal s3api put-public-access-block --bucket "$bucket" --public-access-block-configuration "file://$settings/private-public-access-block.json"
done

make_bucket "$dashboard_bucket"
awslocal s3api put-public-access-block --bucket "$dashboard_bucket" --public-access-block-configuration "file://$settings/website-public-access-block.json"
awslocal s3api put-bucket-website --bucket "$dashboard_bucket" --website-configuration "file://$settings/website.json"
# Read only, and only the page, its assets and its data (as serverless.yml and infra/dashboard do).
policy=$(printf '{"Version":"2012-10-17","Statement":[{"Sid":"PublicReadDashboard","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":["arn:aws:s3:::%s/index.html","arn:aws:s3:::%s/assets/*","arn:aws:s3:::%s/data/*"]}]}' "$dashboard_bucket" "$dashboard_bucket" "$dashboard_bucket")
awslocal s3api put-bucket-policy --bucket "$dashboard_bucket" --policy "$policy"

echo "init hook: buckets ready; dashboard website http://$dashboard_bucket.s3-website.localhost.localstack.cloud:4566/"
