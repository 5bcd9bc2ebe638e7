import { bootstrapBrokers, clusterInfoV1, clusterV2 } from './cluster-views.js';
import { badRequest, ControlPlaneError, notFound, shorten } from './control-plane-error.js';
import type { LocalCluster } from './control-plane-server.js';
import { paginate, parseListQuery } from './list-query.js';

/** What a route answers with: a 200 JSON body. Failures are thrown as ControlPlaneError. */
export type RouteResult = Record<string, unknown>;

const clusterArnPattern = /^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/[^/]+\/[^/]+$/;

interface Route {
  /** Path segments; "{clusterArn}" matches one non-empty, URL-encoded segment. */
  path: readonly string[];
  answer(query: URLSearchParams, cluster: LocalCluster, encodedArn: string): RouteResult;
}

/**
 * The MSK REST operations the local control plane serves (all GET, as on AWS). {clusterArn} is
 * one URL-encoded path segment, as the AWS SDKs and CLI send it.
 */
const routes: readonly Route[] = [
  { path: ['v1', 'clusters'], answer: (query, cluster) => listClusters(query, cluster, false) }, // ListClusters
  { path: ['v1', 'clusters', '{clusterArn}'], answer: (_q, cluster, arn) => ({ clusterInfo: clusterInfoV1(findCluster(arn, cluster)) }) }, // DescribeCluster
  { path: ['v1', 'clusters', '{clusterArn}', 'bootstrap-brokers'], answer: (_q, cluster, arn) => bootstrapBrokers(findCluster(arn, cluster)) }, // GetBootstrapBrokers
  { path: ['api', 'v2', 'clusters'], answer: (query, cluster) => listClusters(query, cluster, true) }, // ListClustersV2
  { path: ['api', 'v2', 'clusters', '{clusterArn}'], answer: (_q, cluster, arn) => ({ clusterInfo: clusterV2(findCluster(arn, cluster)) }) }, // DescribeClusterV2
];

const supported = 'ListClusters, ListClustersV2, DescribeCluster, DescribeClusterV2, GetBootstrapBrokers';

/** Answers one request; throws ControlPlaneError (404 unknown path, 405 wrong method, 400/404 from the operation). */
export function route(method: string, rawPath: string, query: URLSearchParams, cluster: LocalCluster): RouteResult {
  const segments = rawPath.split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  for (const candidate of routes) {
    if (candidate.path.length !== segments.length) continue;
    let encodedArn = '';
    const matches = candidate.path.every((part, index) => {
      const segment = segments[index]!;
      if (part !== '{clusterArn}') return part === segment;
      encodedArn = segment;
      return segment !== '';
    });
    if (!matches) continue;
    if (method !== 'GET') throw new ControlPlaneError(405, 'MethodNotAllowedException', `${shorten(method, 20)} is not allowed on this path; use GET`);
    return candidate.answer(query, cluster, encodedArn);
  }
  throw notFound(`the local MSK control plane has no operation at ${shorten(rawPath, 120)} (supported: ${supported})`);
}

function listClusters(query: URLSearchParams, cluster: LocalCluster, v2: boolean): RouteResult {
  const parsed = parseListQuery(query, v2);
  const matching = [cluster].filter(
    (candidate) =>
      (parsed.clusterNameFilter === null || candidate.clusterName.startsWith(parsed.clusterNameFilter)) &&
      (parsed.clusterTypeFilter === null || parsed.clusterTypeFilter === 'PROVISIONED'),
  );
  const { page, nextToken } = paginate(matching, parsed);
  const clusterInfoList = page.map((found) => (v2 ? clusterV2(found) : clusterInfoV1(found)));
  return nextToken === undefined ? { clusterInfoList } : { clusterInfoList, nextToken };
}

/** The cluster named by an encoded ARN path segment; BadRequest if it is no cluster ARN, NotFound if unknown. */
function findCluster(encodedArn: string, cluster: LocalCluster): LocalCluster {
  let arn: string;
  try {
    arn = decodeURIComponent(encodedArn);
  } catch {
    throw badRequest('clusterArn is not valid percent-encoding', 'clusterArn');
  }
  if (arn === cluster.clusterArn) return cluster;
  if (!clusterArnPattern.test(arn)) throw badRequest(`${shorten(JSON.stringify(arn), 120)} is not an MSK cluster ARN`, 'clusterArn');
  throw notFound(`cluster ${shorten(arn, 200)} does not exist (this local MSK has ${cluster.clusterArn})`, 'clusterArn');
}
