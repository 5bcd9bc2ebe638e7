import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { OVERFLOW_TEMPLATE_ID, TemplateMiner, restoreMiner, tokenize } from '../../../../functions/shared/templates/index.js';

describe('tokenize', () => {
  it('masks words with digits, slashes or non-ASCII, and marks truncation', () => {
    // Act
    const tokens = tokenize('GET /api/v1/users/42 200 in 35ms from café host-a', 6);

    // Assess
    expect(tokens).toEqual(['GET', '<*>', '<*>', 'in', '<*>', 'from', '<...>']);
  });
});

describe('TemplateMiner', () => {
  it('learns the templates of known lines, with <*> where they vary', () => {
    // Prepare
    const miner = new TemplateMiner();
    const lines = [
      'User 1001 logged in from 10.0.0.1',
      'User 2002 logged in from 10.0.0.2',
      'Payment declined for order ORD-1: card expired',
      'Payment declined for order ORD-2: insufficient funds',
      'User 3003 logged in from 10.0.0.3',
      'cache warmed',
    ];

    // Act
    const matches = lines.map((line) => miner.add(line));

    // Assess
    expect(matches.map((match) => match.templateId)).toEqual([1, 1, 2, 2, 1, 3]);
    expect(matches.map((match) => match.isNew)).toEqual([true, false, true, false, false, true]);
    expect(miner.templateOf(1)).toBe('User <*> logged in from <*>');
    expect(miner.templateOf(2)).toBe('Payment declined for order <*> <*> <*>');
    expect(miner.templateOf(3)).toBe('cache warmed');
    expect(matches[4]?.count).toBe(3);
  });

  it('keeps messages of other lengths or other leading words apart', () => {
    // Prepare
    const miner = new TemplateMiner();

    // Act: the third shares only one word with the first beyond its leading word
    const ids = ['disk full on node', 'disk full on node now', 'cpu hot on node'].map((line) => miner.add(line).templateId);

    // Assess
    expect(new Set(ids).size).toBe(3);
  });

  it('joins a message that differs from a template only in its leading word, and then routes its kind directly', () => {
    // Prepare
    const miner = new TemplateMiner();
    const first = miner.add('GET /orders 500 upstream error after 12ms');

    // Act
    const second = miner.add('POST /cart 503 upstream error after 7ms');
    const third = miner.add('POST /users 502 upstream error after 9ms');
    const matched = miner.match('DELETE /cart 500 upstream error after 3ms');

    // Assess
    expect(second.templateId).toBe(first.templateId);
    expect(third.templateId).toBe(first.templateId);
    expect(matched).toBe(first.templateId);
    expect(miner.templateOf(first.templateId)).toBe('<*> <*> <*> upstream error after <*>');
    expect(miner.size).toBe(1);
  });

  it('finds such a template again after a snapshot round trip', () => {
    // Prepare
    const miner = new TemplateMiner();
    const id = miner.add('GET /orders 500 upstream error after 12ms').templateId;
    miner.add('POST /cart 503 upstream error after 7ms');

    // Act
    const restored = restoreMiner(JSON.parse(JSON.stringify(miner.snapshot())));

    // Assess
    expect(restored.match('PUT /cart 500 upstream error after 3ms')).toBe(id);
    expect(restored.add('PATCH /x 500 upstream error after 1ms').templateId).toBe(id);
  });

  it('treats addresses (user@host, masked e-mails) as variables', () => {
    // Prepare
    const miner = new TemplateMiner();

    // Act
    const a = miner.add('Delivery to a***@example.net deferred').templateId;
    const b = miner.add('Delivery to bob@mail.test deferred').templateId;

    // Assess
    expect(b).toBe(a);
    expect(miner.templateOf(a)).toBe('Delivery to <*> deferred');
  });

  it('matches without learning', () => {
    // Prepare
    const miner = new TemplateMiner();
    miner.add('job 1 done');

    // Act
    const known = miner.match('job 2 done');
    const unknown = miner.match('something else entirely');

    // Assess
    expect(known).toBe(1);
    expect(unknown).toBe(OVERFLOW_TEMPLATE_ID);
    expect(miner.groups()[0]?.count).toBe(1);
  });

  it('stops creating templates at maxTemplates and reports overflow', () => {
    // Prepare
    const miner = new TemplateMiner({ maxTemplates: 2 });
    miner.add('alpha beta');
    miner.add('gamma delta epsilon');

    // Act
    const overflow = miner.add('zeta');

    // Assess
    expect(overflow).toMatchObject({ templateId: OVERFLOW_TEMPLATE_ID, isNew: true, count: 0 });
    expect(miner.size).toBe(2);
  });

  it('restores from a snapshot to an identical miner with the same ids', () => {
    // Prepare
    const miner = new TemplateMiner();
    for (const line of ['a 1 b', 'a 2 b', 'x y', 'x z', 'q']) miner.add(line);

    // Act
    const restored = restoreMiner(JSON.parse(JSON.stringify(miner.snapshot())));

    // Assess
    expect(restored.groups()).toEqual(miner.groups());
    expect(restored.add('a 3 b').templateId).toBe(miner.add('a 3 b').templateId);
    expect(restored.add('new line here').templateId).toBe(miner.add('new line here').templateId);
  });

  it.each([
    ['not an object', 'nonsense'],
    ['a group filed under the wrong length', { options: { depth: 4, similarity: 0.5, maxChildren: 100, maxTokens: 40, maxTemplates: 10 }, nextId: 2, groups: [{ id: 1, path: ['3'], tokens: ['a'], count: 1 }] }],
    ['more groups than maxTemplates', { options: { depth: 4, similarity: 0.5, maxChildren: 100, maxTokens: 40, maxTemplates: 1 }, nextId: 3, groups: [{ id: 1, path: ['1'], tokens: ['a'], count: 1 }, { id: 2, path: ['1'], tokens: ['b'], count: 1 }] }],
    ['a repeated id', { options: { depth: 4, similarity: 0.5, maxChildren: 100, maxTokens: 40, maxTemplates: 10 }, nextId: 2, groups: [{ id: 1, path: ['1'], tokens: ['a'], count: 1 }, { id: 1, path: ['1'], tokens: ['b'], count: 1 }] }],
  ])('refuses a hostile snapshot: %s', (_what, snapshot) => {
    // Act + Assess
    expect(() => restoreMiner(snapshot)).toThrow(ValidationError);
  });

  it('handles a prototype-named token and a 16 KiB message', () => {
    // Prepare
    const miner = new TemplateMiner();

    // Act
    const proto = miner.add('__proto__ constructor prototype');
    const long = miner.add('word '.repeat(3300));

    // Assess
    expect(miner.templateOf(proto.templateId)).toBe('__proto__ constructor prototype');
    expect(miner.templateOf(long.templateId)?.endsWith('<...>')).toBe(true);
  });
});
