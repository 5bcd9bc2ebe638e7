// @ts-check
/**
 * osls plugin: runs each function's TypeScript handler through esbuild (bundle-handler.js) and
 * points the function at the bundle, so Lambda and local tools run plain JavaScript.
 *
 * In serverless.yml a function names its TypeScript source the way Lambda names a handler:
 *   handler: functions/producer/handler.handler   →  functions/producer/handler.ts, export `handler`
 * Before the function runs or is packaged, the plugin bundles it and rewrites the handler to
 *   .build/producer/handler.handler                →  .build/producer/handler.js (CommonJS)
 * and adds `.build/producer/**` to the function's package patterns (the service's patterns start
 * with '!**', so each zip holds its bundle and nothing else).
 *
 * When: before `invoke local` (that one function), before packaging (`package`, `deploy`: every
 * function), before `package:function` (that one: `deploy function` packages through it), and
 * before serverless-offline starts (every function). `print` and other commands see the
 * configuration as written.
 *
 * After `invoke local` has printed the result, the plugin ends the process, as Lambda freezes a
 * container once an async handler returns: the handlers keep their Kafka producer and database
 * pool for the next invocation, and osls would otherwise wait until those connections time out
 * (minutes). The exit status is the invocation's (1 when the handler failed).
 *
 * Settings (all optional), under `custom.bundle`: `outDir` (default ".build", relative to the
 * service directory) and `minify` (default false: readable stack traces).
 * Functions whose handler has no .ts/.mts source next to it are left alone.
 */
import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleHandler } from './bundle-handler.js';

const sourceExtensions = ['.ts', '.mts'];

/** Time left for osls to finish its own reporting after the last hook, before the process ends (ms). */
const exitGraceMs = 100;

function endAfterInvocation() {
  // unref: if nothing else keeps the process alive it ends by itself and this never fires.
  setTimeout(() => process.exit(), exitGraceMs).unref();
}

export default class BundlePlugin {
  /**
   * @param {any} serverless the osls instance
   * @param {Record<string, any>} options CLI options (`function` for invoke local / deploy function)
   * @param {{ log?: any }} [utils] osls's logging utilities
   */
  constructor(serverless, options, utils) {
    this.serverless = serverless;
    this.options = options;
    this.log = utils?.log;
    /** Functions already bundled by this process (`offline` runs two of the hooks). */
    this.done = new Set();
    const all = () => this.bundle(this.serverless.service.getAllFunctions());
    const one = () => this.bundle([this.options.function]);
    this.hooks = {
      'before:invoke:local:invoke': () => {
        process.setSourceMapsEnabled(true); // stack traces of the invocation point into the .ts files
        return one();
      },
      'before:package:createDeploymentArtifacts': all,
      'before:package:function:package': one, // `deploy function` packages through this
      'before:offline:start': all,
      'before:offline:start:init': all,
      'after:invoke:local:invoke': () => endAfterInvocation(),
    };
  }

  /** @returns {{ outDir: string, minify: boolean }} */
  settings() {
    const custom = this.serverless.service.custom?.bundle ?? {};
    const outDir = typeof custom.outDir === 'string' && custom.outDir.trim() !== '' ? custom.outDir.trim().replace(/\/+$/, '') : '.build';
    if (posix.isAbsolute(outDir) || outDir.split('/').includes('..')) {
      throw new this.serverless.classes.Error(`custom.bundle.outDir must be a path inside the service directory (got ${JSON.stringify(outDir)})`, 'BUNDLE_INVALID_OUT_DIR');
    }
    return { outDir, minify: custom.minify === true };
  }

  /** @param {string[]} names function keys from serverless.yml */
  async bundle(names) {
    const { outDir, minify } = this.settings();
    await Promise.all(names.filter((name) => !this.done.has(name)).map((name) => this.bundleFunction(name, outDir, minify)));
  }

  /**
   * @param {string} name
   * @param {string} outDir
   * @param {boolean} minify
   */
  async bundleFunction(name, outDir, minify) {
    const fn = this.serverless.service.getFunction(name);
    this.done.add(name);
    if (fn.image || typeof fn.handler !== 'string') return;
    const separator = fn.handler.lastIndexOf('.');
    if (separator <= 0) {
      throw new this.serverless.classes.Error(`function "${name}": handler "${fn.handler}" must look like path/to/file.exportName`, 'BUNDLE_INVALID_HANDLER');
    }
    const modulePath = fn.handler.slice(0, separator);
    const exportName = fn.handler.slice(separator + 1);
    const serviceDir = this.serverless.serviceDir;
    const entry = sourceExtensions.map((extension) => join(serviceDir, modulePath + extension)).find((file) => existsSync(file));
    if (entry === undefined) {
      if (existsSync(join(serviceDir, `${modulePath}.js`)) || existsSync(join(serviceDir, `${modulePath}.cjs`)) || existsSync(join(serviceDir, `${modulePath}.mjs`))) return;
      throw new this.serverless.classes.Error(
        `function "${name}": handler source ${modulePath}.ts not found (handler "${fn.handler}" in ${this.serverless.configurationFilename})`,
        'BUNDLE_HANDLER_NOT_FOUND',
      );
    }

    const bundleDir = `${outDir}/${name}`;
    const baseName = posix.basename(modulePath);
    const started = performance.now();
    let bytes;
    let reused;
    try {
      ({ bytes, reused } = await bundleHandler({ entry, outDir: join(serviceDir, bundleDir), name: baseName, minify }));
    } catch (error) {
      const detail = /** @type {{ errors?: Array<{ text: string, location?: { file: string, line: number } }> }} */ (error).errors
        ?.slice(0, 5)
        .map((each) => (each.location ? `${each.location.file}:${each.location.line}: ${each.text}` : each.text))
        .join('; ');
      throw new this.serverless.classes.Error(`function "${name}": bundling ${modulePath} failed: ${detail || /** @type {Error} */ (error).message}`, 'BUNDLE_FAILED');
    }
    fn.handler = `${bundleDir}/${baseName}.${exportName}`;
    fn.package = { ...fn.package, patterns: [...(fn.package?.patterns ?? []), `${bundleDir}/**`] };
    const how = reused ? 'up to date' : `bundled in ${Math.round(performance.now() - started)} ms`;
    this.log?.info?.(`${name}: ${fn.handler} (${(bytes / 1024).toFixed(0)} KiB, ${how})`);
  }
}
