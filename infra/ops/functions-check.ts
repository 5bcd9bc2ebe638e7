/**
 * The functions part of `npm run health`: every function in serverless.yml (as `serverless print`
 * resolves it) bundles with esbuild (infra/serverless/bundle-handler.js, the osls plugin's code,
 * into .build/<function>/, reusing a current bundle) and its bundle loads under plain Node with an
 * exported handler.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundleHandler } from '../serverless/bundle-handler.js';
import { repoRoot, runOsls } from '../deploy/osls.js';
import type { CheckResult } from './health-checks.js';

interface PrintedFunction {
  handler?: unknown;
}

export async function checkFunctions(env: NodeJS.ProcessEnv, buildDir = join(repoRoot, '.build')): Promise<CheckResult> {
  const check = 'functions';
  const printed = await runOsls(['print', '--format', 'json'], { env, captureStdout: true, progress: devNull });
  if (printed.code !== 0) return { check, verdict: 'fail', detail: `serverless print failed: ${printed.stderr.trim().split('\n').slice(-3).join(' ')}` };
  let functions: Record<string, PrintedFunction>;
  try {
    functions = (JSON.parse(printed.stdout) as { functions?: Record<string, PrintedFunction> }).functions ?? {};
  } catch {
    return { check, verdict: 'fail', detail: 'serverless print did not print JSON' };
  }
  const problems: string[] = [];
  const bundles: Array<[string, string, string]> = [];
  for (const [name, fn] of Object.entries(functions)) {
    const handler = typeof fn.handler === 'string' ? fn.handler : '';
    const dot = handler.lastIndexOf('.');
    const entry = join(repoRoot, `${handler.slice(0, dot)}.ts`);
    if (dot <= 0 || !existsSync(entry)) {
      problems.push(`${name}: handler source ${handler.slice(0, Math.max(dot, 0))}.ts not found`);
      continue;
    }
    try {
      const { file } = await bundleHandler({ entry, outDir: join(buildDir, name) });
      bundles.push([name, file, handler.slice(dot + 1)]);
    } catch (error) {
      const first = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }).errors?.[0];
      problems.push(`${name}: bundling failed: ${first ? `${first.location?.file ?? ''}:${first.location?.line ?? ''} ${first.text}` : (error as Error).message}`);
    }
  }
  for (const [name, file, exportName] of bundles) {
    const loaded = await loadsUnderPlainNode(file, exportName);
    if (loaded !== null) problems.push(`${name}: ${file} ${loaded}`);
  }
  if (problems.length > 0) return { check, verdict: 'fail', detail: problems.join('; ') };
  return { check, verdict: 'ok', detail: `${bundles.map(([name]) => name).join(', ')} bundle and load under plain Node` };
}

/** null when the bundle loads and exports the handler; otherwise what went wrong. */
function loadsUnderPlainNode(file: string, exportName: string): Promise<string | null> {
  const script = `const m = require(process.argv[1]); if (typeof m[process.argv[2]] !== 'function') { console.error('exports no function ' + process.argv[2]); process.exit(3); } process.exit(0);`;
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', script, file, exportName], { env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 }, (error, _stdout, stderr) => {
      resolve(error ? `does not load: ${stderr.trim().split('\n').slice(-2).join(' ') || error.message}` : null);
    });
  });
}

const devNull = { write: () => true } as unknown as NodeJS.WritableStream;
