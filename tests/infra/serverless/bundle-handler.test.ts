import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundleHandler } from '../../../infra/serverless/bundle-handler.js';

const run = promisify(execFile);

/** Imports the bundle with plain Node (no TypeScript loader) and calls its handler. */
async function callBundle(file: string, event: unknown): Promise<unknown> {
  const script = `import(require('node:url').pathToFileURL(process.argv[1]).href).then(async (m) => console.log(JSON.stringify(await m.handler(JSON.parse(process.argv[2])))))`;
  const { stdout } = await run(process.execPath, ['-e', script, file, JSON.stringify(event)], { env: { PATH: process.env.PATH ?? '' } });
  return JSON.parse(stdout);
}

describe('bundleHandler', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bundle-handler-'));
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'greeting.ts'), 'export const greeting = (name: string): string => `hello ${name}`;\n');
    await writeFile(
      join(dir, 'src', 'handler.ts'),
      "import { greeting } from './greeting.js';\nexport async function handler(event: { name: string }): Promise<string> {\n  return greeting(event.name);\n}\n",
    );
    // Sources older than any build: a build starting in the same millisecond would count as stale.
    const earlier = new Date(Date.now() - 10_000);
    for (const file of ['greeting.ts', 'handler.ts']) await utimes(join(dir, 'src', file), earlier, earlier);
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a CommonJS bundle, its source map and a package.json that plain Node runs', async () => {
    // Prepare
    const outDir = join(dir, '.build', 'greeter');

    // Act
    const result = await bundleHandler({ entry: join(dir, 'src', 'handler.ts'), outDir });

    // Assess
    expect(result).toMatchObject({ file: join(outDir, 'handler.js'), reused: false });
    expect(result.bytes).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(join(outDir, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(JSON.parse(await readFile(join(outDir, 'handler.js.map'), 'utf8')).sources.some((source: string) => source.endsWith('src/handler.ts'))).toBe(true);
    expect(await callBundle(result.file, { name: 'lambda' })).toBe('hello lambda');
  });

  it('reuses the bundle until an input changes, then builds again', async () => {
    // Prepare
    const entry = join(dir, 'src', 'handler.ts');
    const outDir = join(dir, '.build', 'greeter');
    await bundleHandler({ entry, outDir });

    // Act
    const unchanged = await bundleHandler({ entry, outDir });
    await writeFile(join(dir, 'src', 'greeting.ts'), 'export const greeting = (name: string): string => `hi ${name}`;\n');
    const later = new Date(Date.now() + 2_000); // mtime resolution differs between file systems
    await utimes(join(dir, 'src', 'greeting.ts'), later, later);
    const changed = await bundleHandler({ entry, outDir });
    const minified = await bundleHandler({ entry, outDir, minify: true });

    // Assess
    expect(unchanged.reused).toBe(true);
    expect(changed.reused).toBe(false);
    expect(minified.reused).toBe(false); // other settings, other bundle
    expect(await callBundle(changed.file, { name: 'again' })).toBe('hi again');
  });

  it('leaves files whose contents a rebuild does not change in place (a concurrent package may be reading them)', async () => {
    // Prepare: a bundle, then its manifest removed so the next call builds again with the same output
    const entry = join(dir, 'src', 'handler.ts');
    const outDir = join(dir, '.build', 'greeter');
    await bundleHandler({ entry, outDir });
    const files = ['handler.js', 'handler.js.map', 'package.json'].map((name) => join(outDir, name));
    const before = await Promise.all(files.map((file) => stat(file)));
    await rm(`${outDir}.inputs.json`);

    // Act
    const rebuilt = await bundleHandler({ entry, outDir });

    // Assess: built again, and every file is still the same inode
    expect(rebuilt.reused).toBe(false);
    const after = await Promise.all(files.map((file) => stat(file)));
    expect(after.map((each) => each.ino)).toEqual(before.map((each) => each.ino));
    expect(await callBundle(rebuilt.file, { name: 'same' })).toBe('hello same');
  });

  it('rejects a handler that does not compile, naming the file and line', async () => {
    // Prepare
    await writeFile(join(dir, 'src', 'broken.ts'), 'export const handler = (: number => 1;\n');

    // Act
    const bundling = bundleHandler({ entry: join(dir, 'src', 'broken.ts'), outDir: join(dir, '.build', 'broken') });

    // Assess
    await expect(bundling).rejects.toMatchObject({ errors: [expect.objectContaining({ location: expect.objectContaining({ line: 1 }) })] });
  });
});
