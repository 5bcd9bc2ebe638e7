import { ApiKey } from '../../protocol/api-keys.js';
import { heartbeatCodecs, type HeartbeatRequest, type HeartbeatResponse } from '../../protocol/requests/heartbeat/index.js';
import type { ApiHandler } from '../handler.js';

export const heartbeatHandler: ApiHandler<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: ApiKey.Heartbeat,
  name: 'Heartbeat',
  codecs: heartbeatCodecs,
  handle: (request, context) => ({ throttleTimeMs: 0, errorCode: context.broker.groups.heartbeat(request) }),
  errorResponse: (_request, errorCode) => ({ throttleTimeMs: 0, errorCode }),
};
