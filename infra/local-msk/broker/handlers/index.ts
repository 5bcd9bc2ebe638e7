import type { ApiHandler } from '../handler.js';
import { apiVersionsHandler } from './api-versions.js';

/** Every API this broker implements; ApiVersions advertises exactly these. */
export const allHandlers: readonly ApiHandler[] = [
  apiVersionsHandler,
];
