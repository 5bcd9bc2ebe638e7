import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../functions/shared/errors.js';
import type { LogRecord } from '../../../functions/shared/log/index.js';
import { parseLabels } from '../../../infra/evaluate/labels.js';
import { runEvaluation, type EvaluationOptions } from '../../../infra/evaluate/run-evaluation.js';
import { anomalousRecords, normalRecords } from '../../functions/shared/model/log-fixtures.js';

/** `normal` ordinary records with `anomalies` unlike them spread evenly through, and their 0/1 labels. */
function labelledStream(normal: number, anomalies: number, seed: number, prefix: string): { records: LogRecord[]; labelText: string } {
  const ordinary = normalRecords(normal, seed, `${prefix}-n`);
  const odd = anomalousRecords(anomalies, seed + 1, `${prefix}-a`);
  const records: LogRecord[] = [];
  const labels: string[] = [];
  const every = Math.floor(normal / Math.max(1, anomalies));
  ordinary.forEach((record, i) => {
    records.push(record);
    labels.push('0');
    if (i % every === every - 1 && odd.length > 0) {
      records.push(odd.shift() as LogRecord);
      labels.push('1');
    }
  });
  return { records, labelText: `${labels.join('\n')}\n` };
}

const fast: EvaluationOptions = { featureSet: 'seed', thresholdRule: 'contamination', policy: { forest: { trees: 20 } } };

describe('runEvaluation', () => {
  it('retrains on its simulated clock (1 s per batch) with no minimum model age', async () => {
    // Prepare: 3,000 records = 30 batches; the first model after 1,000, then one due every 500 scored (5 simulated s).
    const records = normalRecords(3000, 11, 'eval');
    const labels = parseLabels('0\n'.repeat(records.length));

    // Act
    const result = await runEvaluation(records, labels, {
      featureSet: 'seed',
      thresholdRule: 'contamination',
      policy: { firstTrainingWindow: 1000, retrainEvery: 500, shift: { window: 0 }, forest: { trees: 10 } },
    });

    // Assess: 1 initial + retrains at 1,500, 2,000, 2,500 and 3,000 stored records, each 5 s after the last.
    expect(result.warmup).toBe(1000);
    expect(result.models).toBe(5);
    expect(result).toMatchObject({ mode: 'in-sample', trainedOn: 0, scoredFrom: 1, n: 3000 });
  });

  it('in-sample, runs as the detector does: a provisional first model after 200 records, refined at 400 and 800', async () => {
    // Prepare
    const records = normalRecords(1200, 12, 'provisional');
    const labels = parseLabels('0\n'.repeat(records.length));

    // Act
    const result = await runEvaluation(records, labels, { featureSet: 'full', thresholdRule: 'anchor', policy: { retrainEvery: 0, shift: { window: 0 } } });

    // Assess: models at 200, 400, 800 and the full 1,000-record one
    expect(result.warmup).toBe(200);
    expect(result.models).toBe(4);
  });

  it('with train-lines, trains on the first lines and reports on the rest only', async () => {
    // Prepare: 40 labelled anomalies among the first 1,040 lines; the 800 lines after them are all normal.
    const head = labelledStream(1000, 40, 3, 'train');
    const tail = normalRecords(800, 4, 'score');
    const records = [...head.records, ...tail];
    const labels = parseLabels(head.labelText + '0\n'.repeat(tail.length));

    // Act
    const result = await runEvaluation(records, labels, { ...fast, training: { kind: 'lines', lines: head.records.length }, explain: { top: 1000 } });

    // Assess: the training lines' anomalies are not counted, nor are any of them scored.
    expect(result).toMatchObject({ mode: 'train-lines', trainedOn: 1040, scoredFrom: 1041, n: 800, anomalies: 0, recall: 0, warmup: 1040, models: 1 });
    expect(result.flagged).toBe(result.explain?.length);
    expect(result.explain?.every((line) => line.line >= 1041 && line.label === '0')).toBe(true);
  });

  it('with train-lines, finds anomalies in the scored part the first model never saw', async () => {
    // Prepare: 1,000 normal training lines, then normal lines with 20 anomalies.
    const train = normalRecords(1000, 5, 'train');
    const scored = labelledStream(1000, 20, 6, 'score');
    const records = [...train, ...scored.records];
    const labels = parseLabels('0\n'.repeat(train.length) + scored.labelText);

    // Act
    const result = await runEvaluation(records, labels, { ...fast, training: { kind: 'lines', lines: 1000 } });

    // Assess
    expect(result).toMatchObject({ mode: 'train-lines', trainedOn: 1000, scoredFrom: 1001, n: 1020, anomalies: 20 });
    expect(result.recall).toBe(1);
    expect(result.explain).toBeUndefined();
  });

  it('with a training file, trains on its records and scores the whole input', async () => {
    // Prepare
    const training = normalRecords(600, 7, 'file');
    const input = labelledStream(500, 10, 8, 'input');

    // Act
    const result = await runEvaluation(input.records, parseLabels(input.labelText), { ...fast, training: { kind: 'records', records: training } });

    // Assess: the first model is full (600 rows, no provisional refinement), every input line is scored.
    expect(result).toMatchObject({ mode: 'train-file', trainedOn: 600, scoredFrom: 1, n: 510, anomalies: 10, warmup: 600, models: 1 });
    expect(result.recall).toBe(1);
  });

  it('gives the same result for the same data set, run after another one (nothing is shared)', async () => {
    // Prepare
    const a = labelledStream(1500, 30, 9, 'a');
    const b = labelledStream(1200, 12, 10, 'b');
    const options: EvaluationOptions = { ...fast, training: { kind: 'lines', lines: 700 } };

    // Act
    const alone = await runEvaluation(a.records, parseLabels(a.labelText), options);
    await runEvaluation(b.records, parseLabels(b.labelText), options);
    const again = await runEvaluation(a.records, parseLabels(a.labelText), options);

    // Assess
    expect({ ...again, elapsedMs: 0 }).toEqual({ ...alone, elapsedMs: 0 });
  });

  it('explains the top flagged lines, highest score first, with template, reasons and text', async () => {
    // Prepare: the full feature set (it mines templates) on a normal training part, then 15 anomalies among normal lines.
    const train = normalRecords(1000, 12, 'train');
    const scored = labelledStream(1000, 15, 13, 'score');
    const records = [...train, ...scored.records];
    const labels = parseLabels('0\n'.repeat(train.length) + scored.labelText);

    // Act
    const result = await runEvaluation(records, labels, {
      featureSet: 'full',
      thresholdRule: 'anchor',
      training: { kind: 'lines', lines: 1000 },
      explain: { top: 5, lineText: (index) => `line text ${index + 1}: ${'x'.repeat(300)}` },
    });

    // Assess
    const explain = result.explain ?? [];
    expect(result.flagged).toBeGreaterThanOrEqual(5);
    expect(explain).toHaveLength(5);
    const scores = explain.map((line) => line.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    for (const line of explain) {
      expect(line.line).toBeGreaterThan(1000);
      expect(line.score).toBeGreaterThan(line.threshold);
      expect(['0', '1']).toContain(line.label);
      expect(line.templateId).toEqual(expect.any(Number));
      expect(line.template).toEqual(expect.any(String));
      expect(line.reasons.length).toBeGreaterThan(0);
      for (const reason of line.reasons) expect(reason).toEqual({ feature: expect.any(String), value: expect.any(Number), contribution: expect.any(Number) });
      const contributions = line.reasons.map((reason) => reason.contribution);
      expect(contributions).toEqual([...contributions].sort((x, y) => y - x));
      expect(line.text.startsWith(`line text ${line.line}: `)).toBe(true);
      expect(line.text.length).toBeLessThanOrEqual(160);
      expect(line.text.endsWith('…')).toBe(true);
    }
    // The anomalies (label 1) outscore every normal line here.
    expect(explain.every((line) => line.label === '1')).toBe(true);
  });

  it('explains in-sample warm-up lines too, by the first model', async () => {
    // Prepare
    const stream = labelledStream(1000, 10, 14, 'warm');

    // Act
    const result = await runEvaluation(stream.records, parseLabels(stream.labelText), { ...fast, explain: { top: 3 } });

    // Assess: the default text is the record's message.
    expect(result.mode).toBe('in-sample');
    expect(result.explain).toHaveLength(3);
    expect(result.explain?.[0]?.text).toMatch(/^unhandled exception/);
    expect(result.explain?.[0]?.reasons.length).toBeGreaterThan(0);
  });

  it.each([
    ['train-lines 1', { kind: 'lines', lines: 1 } as const, /--train-lines must be a whole number from 2 to 99/],
    ['train-lines equal to the line count', { kind: 'lines', lines: 100 } as const, /from 2 to 99 \(the log file has 100 lines and at least one must be left to score\), got 100/],
    ['train-lines above the line count', { kind: 'lines', lines: 500 } as const, /got 500/],
    ['a training file of one record', { kind: 'records', records: normalRecords(1, 1, 't') } as const, /the training file has 1 record; the first model needs at least 2/],
  ])('refuses %s with a ValidationError', async (_what, training, message) => {
    // Prepare
    const records = normalRecords(100, 15, 'r');

    // Act
    const outcome = runEvaluation(records, parseLabels('0\n'.repeat(100)), { ...fast, training });

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ValidationError);
    await expect(outcome).rejects.toThrow(message);
  });
});
