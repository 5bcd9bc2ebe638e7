export { startLocalServices, modelBucket, dashboardBucket, pipelineTopics, type LocalServices } from './start-local-services.js';
export { defaultLocalServicesOptions, parseLocalServicesArgs, type LocalServicesOptions } from './options.js';
export { localServicesEnv, parseEnvFile, renderEnvFile, type ServiceEndpoints } from './env-file.js';
export { LocalServicesError, LocalServicesUsageError, PortInUseError } from './errors.js';
