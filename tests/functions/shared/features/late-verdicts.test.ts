import { describe, expect, it } from 'vitest';
import { fullFeatureSet, type ExtractedFeatures, type FeatureExtractor } from '../../../../functions/shared/features/index.js';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { MAX_STREAM_PENDING } from '../../../../functions/shared/features/full/window-step.js';
import type { LogLevel, LogRecord } from '../../../../functions/shared/log/index.js';

const names = fullFeatureSet.names;
const BURST = names.indexOf('template_burst');

let nextId = 0;
function record(service: string, message: string, level: LogLevel, second: number): LogRecord {
  nextId += 1;
  return { id: `late-${nextId}`, ts: new Date(Date.UTC(2026, 10, 24, 10, 0, second)).toISOString(), service, level, message, host: `${service}-1` };
}

/** Two services at INFO with a warning now and then. */
function calm(count: number, from: number): LogRecord[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    if (i % 2 === 0) return record('api', i % 17 === 0 ? `Slow response for GET /orders/${i}` : `GET /orders/${i} 200 ${i % 40}ms`, i % 17 === 0 ? 'WARN' : 'INFO', i);
    return record('users', `User ${i} logged in`, 'INFO', i);
  });
}

/** Calm traffic with an error spike of the api (12 errors of one template among its records) in the middle. */
function streamWithSpike(): LogRecord[] {
  const before = calm(60, 2000);
  const spike = Array.from({ length: 24 }, (_, k) => (k % 2 === 0 ? record('api', `Database pool exhausted, request ${k} failed`, 'ERROR', 3000 + k) : record('users', `User ${k} logged in`, 'INFO', 3000 + k)));
  return [...before, ...spike, ...calm(60, 4000)];
}

/** Each record's final row: its last revision, else its row on arrival; and how many revisions named an earlier batch. */
function finalRows(extractor: FeatureExtractor, records: readonly LogRecord[], batchSize: number): { rows: number[][]; late: number } {
  const stream = extractor.newStream();
  const rows: number[][] = [];
  let late = 0;
  for (let from = 0; from < records.length; from += batchSize) {
    const batch = records.slice(from, from + batchSize);
    const refs = batch.map((_, i) => from + i);
    const extracted: ExtractedFeatures = extractor.extract(batch, stream, 0, refs);
    batch.forEach((_, i) => rows.push(Array.from(extracted.matrix.subarray(i * names.length, (i + 1) * names.length))));
    for (const revision of extracted.revisions ?? []) {
      if (revision.index < 0) late += 1;
      rows[revision.ref] = Array.from(revision.row);
    }
  }
  return { rows, late };
}

describe('late verdicts: a record measured again once the records after it arrived', () => {
  it('gives every record the same final row however the stream is cut into batches', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(calm(1500, 0));
    const records = streamWithSpike();

    // Act
    const whole = finalRows(extractor, records, records.length);
    const cuts = [1, 3, 7, 50].map((size) => finalRows(extractor, records, size));

    // Assess: identical rows, and the spike is seen (its first errors only by revision)
    for (const cut of cuts) expect(cut.rows).toEqual(whole.rows);
    expect(whole.late).toBe(0);
    expect(cuts[0]?.late).toBeGreaterThan(0);
    const firstError = records.findIndex((one) => one.level === 'ERROR');
    expect(whole.rows[firstError]?.[BURST]).toBeGreaterThan(0);
  });

  it('revises the first errors of a spike that arrive one per batch, in a later batch, by their refs', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(calm(1500, 0));
    const records = streamWithSpike();
    const stream = extractor.newStream();
    const firstError = records.findIndex((one) => one.level === 'ERROR');

    // Act: one record per batch, as at one record a second
    const arrival: number[] = [];
    const revisedAt = new Map<number, number>();
    records.forEach((one, i) => {
      const { matrix, revisions } = extractor.extract([one], stream, 0, [i]);
      arrival.push(matrix[BURST] as number);
      for (const revision of revisions ?? []) revisedAt.set(revision.ref, i);
    });

    // Assess: the first error looked like nothing on arrival; its revision came 8 api records later
    expect(arrival[firstError]).toBe(0);
    expect(revisedAt.get(firstError)).toBe(firstError + 16);
  });

  it('keeps pending records in the stored state, so a cold container revises them as a warm one would', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(calm(1500, 0));
    const records = streamWithSpike();
    const firstError = records.findIndex((one) => one.level === 'ERROR');
    const cut = firstError + 4;
    const warm = extractor.newStream();
    extractor.extract(records.slice(0, cut), warm, 0, records.slice(0, cut).map((_, i) => i));
    const stored = JSON.parse(JSON.stringify(extractor.encodeStream(warm)));
    const refs = records.slice(cut).map((_, i) => cut + i);

    // Act
    const cold = extractor.extract(records.slice(cut), extractor.decodeStream(stored), 0, refs);
    const carriedOn = extractor.extract(records.slice(cut), warm, 0, refs);

    // Assess
    expect(stored.pending?.length).toBeGreaterThan(0);
    expect(cold.revisions).toEqual(carriedOn.revisions);
    expect(cold.revisions?.some((revision) => revision.index === -1 && revision.ref === firstError)).toBe(true);
  });

  it('keeps at most MAX_STREAM_PENDING records pending per stream, and refuses a stored state with more', () => {
    // Prepare: 1,200 services, each logging one warning (none has 8 records after it)
    const { extractor } = fullFeatureSet.fit(calm(1500, 0));
    const warnings = Array.from({ length: 1200 }, (_, i) => record(`svc-${i}`, 'Disk usage above threshold', 'WARN', i));
    const stream = extractor.newStream();

    // Act
    extractor.extract(warnings, stream, 0, warnings.map((_, i) => i));
    const stored = JSON.parse(JSON.stringify(extractor.encodeStream(stream)));
    const pending = (stored.pending as Array<[string, unknown[]]>).reduce((sum, [, alerts]) => sum + alerts.length, 0);
    const [service, alerts] = stored.pending[0] as [string, unknown[]];
    const oneTooMany = { ...stored, windows: [...stored.windows, ['svc-extra', [[1, 1]]]], pending: [...stored.pending, ['svc-extra', alerts]] };

    // Assess
    expect(pending).toBe(MAX_STREAM_PENDING);
    expect(extractor.encodeStream(extractor.decodeStream(stored))).toEqual(stored);
    expect(service).toBe('svc-0');
    expect(() => extractor.decodeStream(oneTooMany)).toThrow(ValidationError);
  });
});
