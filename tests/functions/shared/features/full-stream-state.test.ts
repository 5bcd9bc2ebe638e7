import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { fullFeatureSet } from '../../../../functions/shared/features/index.js';
import { TAIL_BINS } from '../../../../functions/shared/features/full/rarity-tail.js';
import { MAX_STREAM_WORDS, decodeFullStream } from '../../../../functions/shared/features/full/stream-state.js';
import type { LogLevel, LogRecord } from '../../../../functions/shared/log/index.js';

let nextId = 0;
function record(service: string, message: string, level: LogLevel = 'INFO', minute = 0): LogRecord {
  nextId += 1;
  return { id: `s-${nextId}`, ts: `2026-11-24T10:${String(minute % 60).padStart(2, '0')}:00.000Z`, service, level, message, host: `${service}-1` };
}

/** Two services, a few shapes, a warning now and then, and a new shape every 50th record. */
function traffic(count: number, from = 0): LogRecord[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    if (i % 50 === 7) return record('ops', `Rotated keyring ${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)} for tenant`, 'WARN', i);
    if (i % 2 === 0) return record('api', `GET /orders/${i} 200 ${i % 50}ms`, i % 13 === 0 ? 'WARN' : 'INFO', i);
    return record('users', `User ${i} logged in from 10.1.${i % 9}.2`, 'INFO', i);
  });
}

describe('the full feature set, one stream at a time', () => {
  it('scores a stream resumed from its stored state exactly as one that never stopped (a cold container as a warm one)', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(traffic(1000));
    const later = traffic(600, 1000);
    const warm = extractor.newStream();
    const first = extractor.extract(later.slice(0, 300), warm);

    // Act: one container carries on; another starts from the stored JSON of the same point
    const stored = JSON.parse(JSON.stringify(extractor.encodeStream(warm)));
    const fromWarm = extractor.extract(later.slice(300), warm);
    const cold = extractor.decodeStream(stored);
    const fromCold = extractor.extract(later.slice(300), cold);

    // Assess
    expect(first.matrix.length).toBeGreaterThan(0);
    expect(Array.from(fromCold.matrix)).toEqual(Array.from(fromWarm.matrix));
    expect(Array.from(fromCold.templateIds ?? [])).toEqual(Array.from(fromWarm.templateIds ?? []));
    expect(fromCold.revisions).toEqual(fromWarm.revisions);
    expect(extractor.encodeStream(cold)).toEqual(extractor.encodeStream(warm));
  });

  it('measures a redelivered prefix without learning it again', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(traffic(1000));
    const batch = traffic(100, 2000);
    const stream = extractor.newStream();
    extractor.extract(batch.slice(0, 60), stream);
    const after = JSON.stringify(extractor.encodeStream(stream));

    // Act: the whole batch again, its first 60 records already learned
    const redelivered = extractor.decodeStream(JSON.parse(after));
    extractor.extract(batch, redelivered, 60);
    const once = extractor.decodeStream(JSON.parse(after));
    extractor.extract(batch.slice(60), once);

    // Assess: the state is as if only the 40 new records had come
    expect(extractor.encodeStream(redelivered)).toEqual(extractor.encodeStream(once));
  });

  it('learns what the model never saw, so a shape new since the model stops looking new', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(traffic(1000));
    const stream = extractor.newStream();
    const shape = (i: number) => record('api', 'Cache warmed from snapshot store', 'INFO', i);
    const rarity = fullFeatureSet.names.indexOf('template_rarity');

    // Act: the shape, then 300 ordinary records, then the shape again (out of its service's window)
    const firstTime = extractor.extract([shape(0)], stream).matrix[rarity] as number;
    for (let i = 0; i < 60; i++) extractor.extract([shape(i)], stream);
    extractor.extract(traffic(300, 3000), stream);
    const later = extractor.extract([shape(1)], stream).matrix[rarity] as number;
    const state = extractor.encodeStream(stream) as { shapes: Array<[string, number]> };

    // Assess
    expect(firstTime).toBeGreaterThan(0.5);
    expect(later).toBe(0);
    expect(state.shapes.map(([key]) => key)).toContain('Cache warmed from snapshot store');
  });

  it('carries what a stream learned into the next model', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(traffic(1000));
    const stream = extractor.newStream();
    const shape = (i: number) => record('api', `Cache warmed from snapshot store in ${i}ms`, 'INFO', i);
    for (let i = 0; i < 200; i++) extractor.extract([shape(i), ...traffic(4, 5000 + 4 * i)], stream);
    const rarity = fullFeatureSet.names.indexOf('template_rarity');

    // Act: retrain on a window that no longer holds the shape
    const next = fullFeatureSet.fit(traffic(1000, 9000), extractor, [extractor.encodeStream(stream)]).extractor;
    const fresh = fullFeatureSet.fit(traffic(1000, 9000), extractor, []).extractor;

    // Assess: the model that folded the stream in knows the shape (and measures its length as
    // nothing unusual: streams count shapes, not lengths); one that did not finds it new
    const known = next.extract([shape(7)]).matrix;
    expect(known[rarity]).toBe(0);
    expect(known[fullFeatureSet.names.indexOf('length_deviation')]).toBe(0);
    expect(fresh.extract([shape(7)]).matrix[rarity] as number).toBeGreaterThan(0);
  });

  it('refuses hostile or malformed stored state with a clear error', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(traffic(300));
    const good = extractor.encodeStream(extractor.newStream()) as Record<string, unknown>;
    const bad: unknown[] = [
      null,
      'state',
      { ...good, version: 2 },
      { ...good, records: -1 },
      { ...good, services: [['api', 1, 0, 0, [], []], ['api', 1, 0, 0, [], []]] },
      { ...good, services: [['api', 1, 0, 0, [[24, 1]], []]] },
      { ...good, words: Array.from({ length: MAX_STREAM_WORDS + 1 }, (_, i) => [`w${i}`, 1]) },
      { ...good, shapes: [['x', 5]] },
      { ...good, windows: [['api', [[1, 7]]]] },
      { ...good, masses: [[[0, 1]], [], []] },
      { ...good, masses: [[[TAIL_BINS, 1]], [], []] },
      { ...good, masses: [[[3, 0.5]], [], []] },
      { ...good, masses: [[], []] },
      { ...good, pending: [['api', [[5, 1, 2, 0, 0, 0, 0.5, 0.5, 1, 1, 1, 0, 0, [0, 0, 0]]]]] },
      { ...good, windows: [['api', [[1, 2]]]], pending: [['api', [[5, 1, 3, 0, 0, 0, 0.5, 0.5, 1, 1, 1, 0, 0, Array(9).fill(0)]]]] },
      { ...good, windows: [['api', [[1, 2]]]], pending: [['users', [[5, 1, 2, 0, 0, 0, 0.5, 0.5, 1, 1, 1, 0, 0, Array(9).fill(0)]]]] },
      { ...good, windows: [['api', [[1, 2]]]], pending: [['api', [[5, 1, 2, 0, 0, 0, 0, 0.5, 1, 1, 1, 0, 0, Array(9).fill(0)]]]] },
    ];

    // Act / Assess
    for (const state of bad) expect(() => decodeFullStream(state)).toThrow(ValidationError);
    expect(() => extractor.decodeStream({ ...good, lastTs: 'now' })).toThrow(/stream state is invalid/);
  });

  it('leaves out stored stream states that do not decode when a model is retrained, instead of failing the training', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(traffic(600));
    const stream = extractor.newStream();
    extractor.extract(traffic(200, 700), stream);
    const good = extractor.encodeStream(stream);

    // Act
    const withGarbage = fullFeatureSet.fit(traffic(600, 1000), extractor, [null, 'x', { version: 1, records: -5 }, good]);
    const withGoodOnly = fullFeatureSet.fit(traffic(600, 1000), extractor, [good]);

    // Assess: the same model as from the readable state alone
    expect(withGarbage.extractor.snapshot()).toEqual(withGoodOnly.extractor.snapshot());
    expect(Array.from(withGarbage.matrix)).toEqual(Array.from(withGoodOnly.matrix));
  });
});
