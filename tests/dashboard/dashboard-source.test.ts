import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const sourceDir = join(repoRoot, 'dashboard', 'src');

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : Promise.resolve([join(dir, entry.name)]))));
  return nested.flat().filter((file) => file.endsWith('.ts'));
}

describe('the dashboard source', () => {
  it('never parses text as HTML or code', async () => {
    // Prepare
    const files = await sourceFiles(sourceDir);

    // Act
    const offenders = [];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function', 'createContextualFragment', 'srcdoc']) {
        if (text.includes(sink)) offenders.push(`${file.slice(repoRoot.length)}: ${sink}`);
      }
    }

    // Assess
    expect(files.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
  });

  it('typechecks against the DOM (dashboard/tsconfig.json)', async () => {
    // Act
    const child = spawn(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'dashboard/tsconfig.json'], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    // Assess
    expect(output).toBe('');
    expect(code).toBe(0);
  });
});
