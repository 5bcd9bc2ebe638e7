/**
 * Builds dashboard/ into static files: index.html (from dashboard/index.html) plus one script and one
 * stylesheet under assets/, named by content hash (so they can be cached forever; index.html
 * itself is never cached). The page references them relatively, so it works from any bucket path.
 */
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ConfigError } from '../../functions/shared/errors.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const dashboardSourceDir = join(repoRoot, 'dashboard');
export const defaultDashboardOutDir = join(repoRoot, '.build', 'dashboard');

/** The built page carries this marker, so a deploy can check its URL serves this dashboard. */
export const DASHBOARD_MARKER = 'log-anomaly-dashboard';

export interface BuildDashboardOptions {
  /** Output directory (emptied first). Default .build/dashboard. */
  readonly outDir?: string;
  /** Minify (default true). */
  readonly minify?: boolean;
}

export interface BuiltFile {
  /** Path relative to outDir, with "/" separators: also the object key. */
  readonly key: string;
  readonly bytes: number;
}

export interface BuiltDashboard {
  readonly outDir: string;
  readonly files: readonly BuiltFile[];
}

export async function buildDashboard(options: BuildDashboardOptions = {}): Promise<BuiltDashboard> {
  const outDir = resolve(options.outDir ?? defaultDashboardOutDir);
  // The directory is emptied: refuse anything but a sub-directory of the repository or of the temp directory.
  const inside = (parent: string): boolean => outDir.startsWith(`${resolve(parent)}/`);
  if (!inside(repoRoot) && !inside(tmpdir())) {
    throw new ConfigError(`dashboard build directory must be inside the repository or ${tmpdir()} (got ${outDir})`);
  }
  await rm(outDir, { recursive: true, force: true });
  await mkdir(join(outDir, 'assets'), { recursive: true });
  const result = await build({
    entryPoints: { dashboard: join(dashboardSourceDir, 'src', 'main.ts') },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    minify: options.minify ?? true,
    entryNames: '[name]-[hash]',
    outdir: join(outDir, 'assets'),
    metafile: true,
    legalComments: 'eof',
    logLevel: 'silent',
  });
  const outputs = Object.keys(result.metafile.outputs).map((path) => resolve(repoRoot, path));
  const script = outputs.find((path) => path.endsWith('.js'));
  const styles = outputs.find((path) => path.endsWith('.css'));
  if (script === undefined || styles === undefined) throw new Error(`esbuild produced no script or stylesheet (outputs: ${outputs.join(', ')})`);

  const template = await readFile(join(dashboardSourceDir, 'index.html'), 'utf8');
  const html = template
    .replace('%DASHBOARD_JS%', `assets/${basename(script)}`)
    .replace('%DASHBOARD_CSS%', `assets/${basename(styles)}`)
    .replace('<meta charset="utf-8">', `<meta charset="utf-8">\n  <meta name="generator" content="${DASHBOARD_MARKER}">`);
  await writeFile(join(outDir, 'index.html'), html);

  const files: BuiltFile[] = [];
  for (const path of [join(outDir, 'index.html'), script, styles]) {
    files.push({ key: relative(outDir, path).split('\\').join('/'), bytes: (await stat(path)).size });
  }
  return { outDir, files };
}
