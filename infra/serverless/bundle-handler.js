// @ts-check
/**
 * Bundles one TypeScript Lambda handler with esbuild into a self-contained CommonJS file that
 * plain Node (and the Lambda nodejs22.x runtime) loads without a TypeScript loader.
 *
 * Output, in `outDir`:
 *   <name>.js       the bundle: every dependency inlined, @aws-sdk/* included (the version the
 *                   code was tested with, not whatever the Lambda runtime ships)
 *   <name>.js.map   its source map (paths only, no sources: keeps the zip small)
 *   package.json    {"type":"commonjs"}: the repository is "type": "module", so without it Node
 *                   would read the CommonJS bundle as an ES module
 * and next to it `<outDir>.inputs.json`: the files that went in and when the build started. The
 * bundle is reused while none of them changed after that time and the options are the same.
 *
 * Why CommonJS: osls `invoke local` loads a handler with require() and serverless-offline and
 * Lambda accept CommonJS everywhere, while ESM bundles of CommonJS dependencies (kafkajs, pg) need
 * a createRequire shim for their require("net") calls.
 *
 * Files are written to a temporary name and renamed, so a concurrent bundle of the same function
 * (two invocations at once, parallel tests) never leaves a half-written file; a file whose contents
 * would not change is left as it is, so a rebuild with the same output never replaces a file that
 * a concurrent `serverless package` is zipping.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';

/**
 * Optional dependencies that are never loaded on the code paths the functions use; bundling
 * them would fail (they are not installed) or drag in native code.
 */
export const alwaysExternal = ['pg-native'];

/**
 * esbuild's target: the Node.js of Lambda's runtime in serverless.yml (nodejs22.x; tests/deploy
 * keeps the two equal). The code uses no syntax newer than Node 20.19's, so the same bundles also
 * run under the local Node (npm start, invoke local, the tests).
 */
export const bundleTarget = 'node22';

/**
 * @param {{ entry: string, outDir: string, name?: string, minify?: boolean }} options
 *   entry: the handler's TypeScript file (absolute); outDir: where the bundle goes (absolute);
 *   name: the bundle's base name (default: the entry's, e.g. "handler"); minify: default false.
 * @returns {Promise<{ file: string, bytes: number, reused: boolean }>} the bundle's path, its size
 *   in bytes, and whether an up-to-date earlier bundle was kept.
 */
export async function bundleHandler({ entry, outDir, name, minify = false }) {
  const baseName = name ?? basename(entry).replace(/\.[cm]?tsx?$/, '');
  const outfile = join(outDir, `${baseName}.js`);
  const manifestFile = `${outDir.replace(/[\\/]+$/, '')}.inputs.json`;
  const settings = JSON.stringify({ entry, outfile, minify, target: bundleTarget, esbuild: esbuildVersion, layout: 1 });
  const previous = await freshBundleSize(manifestFile, outfile, settings);
  if (previous !== null) return { file: outfile, bytes: previous, reused: true };

  const startedAt = Date.now();
  const workingDir = process.cwd();
  const result = await build({
    entryPoints: [entry],
    outfile,
    absWorkingDir: workingDir,
    bundle: true,
    platform: 'node',
    target: bundleTarget,
    format: 'cjs',
    sourcemap: 'linked',
    sourcesContent: false,
    minify,
    keepNames: true, // error class names appear in invocation results (errorType)
    external: alwaysExternal,
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    write: false,
  });
  await mkdir(outDir, { recursive: true });
  const files = [
    ...result.outputFiles.map((file) => ({ path: file.path, contents: file.contents })),
    { path: join(outDir, 'package.json'), contents: Buffer.from('{"type":"commonjs"}\n') },
  ];
  for (const file of files) if (!(await holds(file.path, file.contents))) await writeAtomically(file.path, file.contents);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !/^[a-z-]+:/i.test(input)) // skip esbuild's virtual namespaces
    .map((input) => resolve(workingDir, input));
  await writeAtomically(manifestFile, Buffer.from(JSON.stringify({ settings, startedAt, inputs })));
  const bundle = result.outputFiles.find((file) => file.path === outfile);
  return { file: outfile, bytes: bundle?.contents.byteLength ?? 0, reused: false };
}

/**
 * The size of the existing bundle when it is still current: same settings, and no input file
 * modified (or missing) since the build that made it started. Otherwise null.
 * @param {string} manifestFile
 * @param {string} outfile
 * @param {string} settings
 * @returns {Promise<number | null>}
 */
async function freshBundleSize(manifestFile, outfile, settings) {
  try {
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    if (manifest.settings !== settings || !Array.isArray(manifest.inputs) || typeof manifest.startedAt !== 'number') return null;
    const output = await stat(outfile);
    await stat(join(dirname(outfile), 'package.json'));
    const times = await Promise.all(manifest.inputs.map(async (/** @type {string} */ input) => (await stat(input)).mtimeMs));
    return times.every((time) => time < manifest.startedAt) ? output.size : null;
  } catch {
    return null; // no manifest, no bundle, or an input is gone: build again
  }
}

/**
 * Whether the file at `path` exists and holds exactly `contents`.
 * @param {string} path
 * @param {Uint8Array} contents
 * @returns {Promise<boolean>}
 */
async function holds(path, contents) {
  try {
    return Buffer.from(contents).equals(await readFile(path));
  } catch {
    return false;
  }
}

/**
 * @param {string} path
 * @param {Uint8Array} contents
 */
async function writeAtomically(path, contents) {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, contents);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
