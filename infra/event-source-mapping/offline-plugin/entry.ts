/**
 * What the serverless-offline plugin (plugin.js) loads: it bundles this file with esbuild into
 * CommonJS at start-up, since osls cannot load the TypeScript library itself.
 */
export { createOfflineMappings, type OfflineMappings, type OfflineMappingsOptions } from './offline-mappings.js';
export type { ServiceFunction } from './collect-definitions.js';
