// @ts-check
/**
 * serverless-offline plugin: runs the service's Kafka triggers (`msk` and `kafka` events) locally.
 * Each event becomes one event-source mapping (infra/event-source-mapping: a kafkajs consumer group
 * that builds exact `aws:kafka` / `SelfManagedKafka` events) whose invoke runs the function through
 * serverless-offline's own Lambda runner (`serverless-offline/lambda`: the same LambdaFunction pool,
 * worker threads, environment and timeouts serverless-offline uses for HTTP events).
 *
 * In serverless.yml, list it after the bundle plugin (handlers must be bundled first) and before
 * serverless-offline, then run `serverless offline start`:
 *   offline:start:init   validate every mapping and resolve its brokers (errors stop start-up)
 *   offline:start:ready  start the consumers; one log line per mapping once its group is joined
 *   offline:start:end    stop the consumers after the batch in hand (also on SIGINT / SIGTERM)
 * Plain `serverless offline` (without `start`) ends the process itself and runs none of these hooks.
 *
 * Brokers: KAFKA_BOOTSTRAP_SERVERS (environment or .env, which osls loads with useDotenv, or the
 * provider environment), else the event's MSK cluster ARN through GetBootstrapBrokers
 * (AWS_ENDPOINT_URL_KAFKA points that call at the local MSK's control plane).
 *
 * The library is TypeScript: it is bundled with esbuild into <custom.bundle.outDir or .build>/
 * event-source-mapping/index.js (reused while its sources are unchanged) and loaded with require.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleHandler } from '../../serverless/bundle-handler.js';
import { stopWithParent } from '../../process/stop-with-parent.js';

const entry = fileURLToPath(new URL('./entry.ts', import.meta.url));
const require = createRequire(import.meta.url);

export default class OfflineEventSourceMappingPlugin {
  /**
   * @param {any} serverless the osls instance
   * @param {Record<string, any>} options CLI options
   * @param {{ log?: any }} [utils] osls's logging utilities
   */
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options;
    this.log = utils?.log;
    /** @type {import('./entry.js').OfflineMappings | null} */
    this.mappings = null;
    /** @type {any} serverless-offline's Lambda (its function pool), created only when there are mappings */
    this.lambda = null;
    /** @type {Promise<void> | undefined} */
    this.stopped = undefined;
    this.stopOnSignal = () => void this.stop();
    this.hooks = {
      'offline:start:init': () => this.prepare(),
      'offline:start:ready': () => this.start(),
      'offline:start:end': () => this.stop(),
    };
  }

  /** @returns {import('./entry.js').ServiceFunction[]} */
  functions() {
    const service = this.serverless.service;
    return service.getAllFunctions().map((/** @type {string} */ key) => ({ key, events: service.getAllEventsInFunction(key) ?? [] }));
  }

  async prepare() {
    const functions = this.functions();
    if (!functions.some((fn) => fn.events.some((event) => event && typeof event === 'object' && ('msk' in event || 'kafka' in event)))) return;
    const library = await this.loadLibrary();
    const { service, provider } = this.serverless.service;
    /** @type {Record<string, string | undefined>} */
    const env = { ...process.env };
    for (const [name, value] of Object.entries(provider.environment ?? {})) {
      if (value !== undefined && value !== null && String(value).trim() !== '') env[name] = String(value);
    }
    const { default: Lambda } = await import('serverless-offline/lambda');
    const offlineOptions = { ...this.serverless.service.custom?.['serverless-offline'], ...this.options };
    this.lambda = new Lambda(this.serverless, offlineOptions);
    this.lambda.create(functions.map(({ key }) => ({ functionKey: key, functionDefinition: this.serverless.service.getFunction(key) })));
    try {
      this.mappings = await library.createOfflineMappings({
        service,
        stage: this.options.stage ?? provider.stage,
        functions,
        env,
        invoke: (/** @type {string} */ functionKey, /** @type {unknown} */ payload) => this.invoke(functionKey, payload),
        logger: this.mappingLogger(),
      });
    } catch (error) {
      throw new this.serverless.classes.Error(`Kafka event-source mappings: ${/** @type {Error} */ (error).message}`, 'OFFLINE_KAFKA_MAPPING_INVALID');
    }
  }

  /**
   * One invocation through serverless-offline's runner: an idle LambdaFunction of the pool (or a
   * new one), given the event; rejects when the handler throws or times out.
   * @param {string} functionKey
   * @param {unknown} payload
   */
  invoke(functionKey, payload) {
    const lambdaFunction = this.lambda.get(functionKey);
    lambdaFunction.setEvent(payload);
    return lambdaFunction.runHandler();
  }

  start() {
    if (this.mappings === null) return;
    process.once('SIGINT', this.stopOnSignal).once('SIGTERM', this.stopOnSignal);
    // Started by the local stack: if the stack dies, stop as on Ctrl-C (serverless-offline exits).
    stopWithParent((reason) => {
      this.log?.warning?.(`${reason}; stopping`);
      process.kill(process.pid, 'SIGINT');
    });
    // Not awaited: serverless-offline's ready hook (after this one) must install its signal
    // handlers at once, and a mapping whose group never forms must not hold up the others.
    void this.mappings.start();
  }

  /** Idempotent: a signal and the end hook that follows it share one stop. */
  stop() {
    this.stopped ??= this.stopMappings();
    return this.stopped;
  }

  async stopMappings() {
    process.off('SIGINT', this.stopOnSignal).off('SIGTERM', this.stopOnSignal);
    if (this.mappings === null) return;
    await this.mappings.stop();
    await this.lambda?.cleanup().catch(() => undefined);
    this.log?.notice?.('Kafka event-source mappings stopped');
  }

  /** @returns {Promise<typeof import('./entry.js')>} */
  async loadLibrary() {
    const outDir = this.serverless.service.custom?.bundle?.outDir ?? '.build';
    const { file } = await bundleHandler({ entry, outDir: join(this.serverless.serviceDir, outDir, 'event-source-mapping'), name: 'index' });
    return require(file);
  }

  /** The mappings' log lines through osls's log (structured fields, never record payloads). */
  mappingLogger() {
    const log = this.log;
    return {
      info: (/** @type {string} */ message, /** @type {Record<string, unknown>} */ fields = {}) => {
        if (message === 'event-source mapping started') {
          log?.notice?.(`Kafka mapping started: function ${fields.functionName}, topic ${fields.topic}, group ${fields.groupId} (${fields.consumers} consumer(s))`);
        } else {
          log?.info?.(`${message} ${JSON.stringify(fields)}`);
        }
      },
      error: (/** @type {string} */ message, /** @type {Record<string, unknown>} */ fields = {}) => log?.warning?.(`Kafka mapping: ${message} ${JSON.stringify(fields)}`),
    };
  }
}
