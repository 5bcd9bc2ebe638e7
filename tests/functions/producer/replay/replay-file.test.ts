import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { parseReplayLabels } from '../../../../functions/producer/replay/replay-labels.js';
import { readReplayFile } from '../../../../functions/producer/replay/replay-file.js';
import { createReplaySource } from '../../../../functions/producer/replay/replay-source.js';

let base: string;
let allowed: string;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'replay-file-'));
  allowed = join(base, 'replay');
  await mkdir(join(allowed, 'sub'), { recursive: true });
  await writeFile(join(allowed, 'ok.log'), 'line one\nline two\n');
  await writeFile(join(allowed, 'sub', 'nested.log'), 'nested\n');
  await writeFile(join(allowed, 'empty.log'), '');
  await writeFile(join(allowed, 'latin1.log'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  await writeFile(join(base, 'secret.txt'), 'outside the replay directory\n');
  await symlink(join(base, 'secret.txt'), join(allowed, 'escape.log'));
  await symlink(join(allowed, 'ok.log'), join(allowed, 'inside-link.log'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('readReplayFile', () => {
  it('reads a file inside the replay directory, by relative or absolute path, also through a link that stays inside', async () => {
    // Act
    const relative = await readReplayFile('ok.log', allowed, 'log file');
    const nested = await readReplayFile('sub/nested.log', allowed, 'log file');
    const absolute = await readReplayFile(join(allowed, 'ok.log'), allowed, 'log file');
    const linked = await readReplayFile('inside-link.log', allowed, 'log file');

    // Assess
    expect(relative).toBe('line one\nline two\n');
    expect(nested).toBe('nested\n');
    expect(absolute).toBe(relative);
    expect(linked).toBe(relative);
  });

  it.each([
    ['a parent-directory escape', '../secret.txt', /outside the replay directory/],
    ['a deeper escape', 'sub/../../secret.txt', /outside the replay directory/],
    ['an absolute path elsewhere', '/etc/passwd', /outside the replay directory/],
    ['a symlink pointing out', 'escape.log', /leads outside the replay directory/],
    ['the directory itself', '.', /outside the replay directory/],
    ['a directory', 'sub', /not a regular file/],
    ['a missing file', 'nope.log', /cannot be opened: ENOENT/],
    ['an empty file', 'empty.log', /is empty/],
    ['text that is not UTF-8', 'latin1.log', /not valid UTF-8/],
    ['an empty path', '', /path must be/],
    ['a path with NUL', 'ok.log\u0000.txt', /path must be/],
    ['an overlong path', 'a'.repeat(2000), /path must be/],
  ])('refuses %s', async (_what, path, message) => {
    // Act
    const failure = await readReplayFile(path, allowed, 'log file').catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(message);
    expect((failure as Error).message).not.toContain(base);
  });

  it('refuses a file over the size limit', async () => {
    const failure = await readReplayFile('ok.log', allowed, 'log file', 8).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationError);
    expect((failure as Error).message).toMatch(/over the 8-byte limit/);
  });
});

describe('parseReplayLabels', () => {
  it('reads 0/1/none and kinds into header labels', () => {
    expect(parseReplayLabels('0\n1\nnone\nerror_spike\n', 4)).toEqual(['none', 'anomaly', 'none', 'error_spike']);
  });

  it.each([
    ['a count that differs from the log', '0\n1\n', 3, /has 2 lines but the log file has 3/],
    ['an unknown token', '0\nmaybe\n', 2, /line 2 must be 0, 1, none/],
    ['an empty line', '0\n\n1\n', 3, /line 2 is empty/],
    ['an empty file', '', 1, /is empty/],
  ])('refuses %s', (_what, text, lines, message) => {
    expect(() => parseReplayLabels(text, lines)).toThrow(message);
  });
});

describe('createReplaySource', () => {
  it('returns the records in order with their labels, stamps and prefixes line ids, and stops at the end', () => {
    // Prepare
    const records = [
      { id: 'line-1', ts: '2005-06-03T15:42:50.675Z', service: 'KERNEL', level: 'INFO' as const, message: 'cache parity error corrected', host: 'R02' },
      { id: 'keep-me', ts: '2005-06-03T15:42:51.000Z', service: 'APP', level: 'FATAL' as const, message: 'ciod: failed', host: 'R03', producerId: 'original' },
    ];
    const source = createReplaySource(records, ['none', 'anomaly'], { idPrefix: 'p-1234', producerId: 'replayer', experimentId: 'exp-9' });

    // Act
    const first = source.next(0);
    const second = source.next(0);

    // Assess
    expect(first).toMatchObject({ label: 'none', key: 'KERNEL', record: { id: 'p-1234-line-1', producerId: 'replayer', experimentId: 'exp-9' } });
    expect(second).toMatchObject({ label: 'anomaly', key: 'APP', record: { id: 'keep-me', producerId: 'original' } });
    expect(records[0]?.id).toBe('line-1');
    expect(source.count).toBe(2);
    expect(() => source.next(0)).toThrow(RangeError);
  });
});
