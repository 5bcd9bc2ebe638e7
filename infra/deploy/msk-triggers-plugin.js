// @ts-check
/**
 * osls plugin: decides whether the `msk` events of serverless.yml become CloudFormation
 * event-source mappings. `custom.mskTriggers` (from the `mskTriggers` param):
 *   cloudformation  (default) osls compiles each msk event into an AWS::Lambda::EventSourceMapping
 *   external        the msk events are removed before osls compiles events, so the template has no
 *                   event-source mapping (and no EC2 network-interface permissions for one); another
 *                   runner consumes the topics and invokes the deployed functions — in the compose
 *                   stack, the `event-source-mapping` service (LocalStack's own Kafka triggers are a
 *                   paid feature)
 * Only packaging is affected: `serverless print` still shows the events, which is where that
 * runner reads its mapping definitions from.
 */

const modes = ['cloudformation', 'external'];

export default class MskTriggersPlugin {
  /**
   * @param {any} serverless the osls instance
   * @param {Record<string, any>} _options CLI options
   * @param {{ log?: any }} [utils] osls's logging utilities
   */
  constructor(serverless, _options, utils) {
    this.serverless = serverless;
    this.log = utils?.log;
    this.hooks = {
      'before:package:compileEvents': () => this.apply(),
    };
  }

  /** @returns {'cloudformation' | 'external'} */
  mode() {
    const value = this.serverless.service.custom?.mskTriggers ?? 'cloudformation';
    if (!modes.includes(value)) {
      throw new this.serverless.classes.Error(
        `custom.mskTriggers must be one of ${modes.join(', ')} (got ${JSON.stringify(String(value).slice(0, 40))})`,
        'MSK_TRIGGERS_INVALID_MODE',
      );
    }
    return value;
  }

  apply() {
    if (this.mode() !== 'external') return;
    const service = this.serverless.service;
    const removed = [];
    for (const name of service.getAllFunctions()) {
      const fn = service.getFunction(name);
      const events = Array.isArray(fn.events) ? fn.events : [];
      const kept = events.filter((/** @type {unknown} */ event) => !(typeof event === 'object' && event !== null && 'msk' in event));
      if (kept.length !== events.length) removed.push(`${name} (${events.length - kept.length})`);
      fn.events = kept;
    }
    if (removed.length > 0) this.log?.info?.(`msk triggers left to an external event-source mapping: ${removed.join(', ')}`);
  }
}
