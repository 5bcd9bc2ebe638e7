import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, DASHBOARD_MARKER, type BuiltDashboard } from '../../../infra/dashboard/build-dashboard.js';
import { ConfigError } from '../../../functions/shared/errors.js';

let scratch: string;
let built: BuiltDashboard;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dashboard-build-'));
  built = await buildDashboard({ outDir: join(scratch, 'dist') });
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('buildDashboard', () => {
  it('writes index.html plus one content-hashed script and stylesheet, referenced relatively', async () => {
    // Act
    const html = await readFile(join(built.outDir, 'index.html'), 'utf8');

    // Assess
    const keys = built.files.map((file) => file.key);
    expect(keys[0]).toBe('index.html');
    expect(keys.slice(1)).toEqual([expect.stringMatching(/^assets\/dashboard-[A-Z0-9]{8}\.js$/), expect.stringMatching(/^assets\/dashboard-[A-Z0-9]{8}\.css$/)]);
    expect(html).toContain(`<script defer src="${keys[1]}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="${keys[2]}">`);
    expect(html).toContain(`<meta name="generator" content="${DASHBOARD_MARKER}">`);
    expect(html).not.toMatch(/%DASHBOARD_/);
  });

  it('ships no inline script and a Content-Security-Policy that allows only its own script and data', async () => {
    // Act
    const html = await readFile(join(built.outDir, 'index.html'), 'utf8');

    // Assess
    expect(html.match(/<script\b[^>]*>/g)).toEqual([expect.stringMatching(/src="assets\//)]);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'self'; script-src 'self';[^"]*connect-src 'self'; object-src 'none'/);
  });

  it('bundles uPlot and stays small', async () => {
    // Act
    const script = await readFile(join(built.outDir, built.files[1]!.key), 'utf8');

    // Assess: the size is recorded in docs/dashboard.md; this only guards against an accidental large dependency
    expect(script).toContain('uplot');
    expect(built.files[1]!.bytes).toBeLessThan(200 * 1024);
  });

  it('refuses to empty a directory outside the repository and the temp directory', async () => {
    // Act + Assess
    await expect(buildDashboard({ outDir: '/etc/dashboard' })).rejects.toThrow(ConfigError);
    await expect(buildDashboard({ outDir: '/' })).rejects.toThrow(/must be inside the repository/);
  });
});
