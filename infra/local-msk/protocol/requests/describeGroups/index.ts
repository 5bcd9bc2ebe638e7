import { versionCodec } from '../../api.js';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './types.js';
import * as v0Request from './v0/request.js';
import * as v0Response from './v0/response.js';
import * as v1Request from './v1/request.js';
import * as v1Response from './v1/response.js';
import * as v2Request from './v2/request.js';
import * as v2Response from './v2/response.js';
import * as v3Request from './v3/request.js';
import * as v3Response from './v3/response.js';
import * as v4Request from './v4/request.js';
import * as v4Response from './v4/response.js';

export const describeGroupsCodecs = [
  versionCodec<DescribeGroupsRequest, DescribeGroupsResponse>(0, v0Request, v0Response),
  versionCodec<DescribeGroupsRequest, DescribeGroupsResponse>(1, v1Request, v1Response),
  versionCodec<DescribeGroupsRequest, DescribeGroupsResponse>(2, v2Request, v2Response),
  versionCodec<DescribeGroupsRequest, DescribeGroupsResponse>(3, v3Request, v3Response),
  versionCodec<DescribeGroupsRequest, DescribeGroupsResponse>(4, v4Request, v4Response),
];

export type { DescribedGroup, DescribedGroupMember, DescribeGroupsRequest, DescribeGroupsResponse } from './types.js';
