import { describe, expect, it } from 'vitest';
import type { RecordScore } from '../../../functions/shared/model/record-scoring.js';
import { TopFlagged, cut, explainLines } from '../../../infra/evaluate/explain.js';
import { parseLabels } from '../../../infra/evaluate/labels.js';

function verdict(score: number, isAnomaly = true, templateId: number | null = 7): RecordScore {
  return {
    score,
    threshold: 0.5,
    isAnomaly,
    modelVersion: 'v1',
    contributions: isAnomaly ? { rare_word: 0.4, level_surprise: 0.1 } : {},
    features: isAnomaly ? { rare_word: 3, level_surprise: 1, other: 0 } : {},
    templateId,
  };
}

describe('TopFlagged', () => {
  it('keeps the highest-scoring flagged lines, earlier line first on a tie, and counts every flagged one', () => {
    // Prepare: 100 lines, every other one flagged, scores rising with the line and a tie at the top.
    const top = new TopFlagged(4);

    // Act
    for (let i = 0; i < 100; i++) top.offer(i, verdict(0.5 + i / 1000, i % 2 === 0), (id) => `template ${id}`);
    top.offer(100, verdict(0.5 + 98 / 1000), () => 'tie');

    // Assess
    expect(top.ranked().map((candidate) => candidate.index)).toEqual([98, 100, 96, 94]);
    expect(top.flagged).toBe(51);
  });

  it('does not look up the template of a line that can no longer make the list', () => {
    // Prepare: falling scores, so once the list is cut, every later line is below it.
    const top = new TopFlagged(3);
    const asked: number[] = [];

    // Act
    for (let i = 0; i < 100; i++) top.offer(i, verdict(0.99 - i / 1000), () => (asked.push(i), 't'));

    // Assess
    expect(top.ranked().map((candidate) => candidate.index)).toEqual([0, 1, 2]);
    expect(asked).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses a count of 0 or over 1000', () => {
    expect(() => new TopFlagged(0)).toThrow(RangeError);
    expect(() => new TopFlagged(1001)).toThrow(RangeError);
  });
});

describe('explainLines', () => {
  it('gives line numbers from 1, labels, reasons in contribution order with their values, and cut text', () => {
    // Prepare
    const top = new TopFlagged(2);
    top.offer(0, verdict(0.9), () => 'disk <*> failed');
    top.offer(2, verdict(0.8, true, null), () => 'never asked');
    const labels = parseLabels('error_spike\n0\n1\n');

    // Act
    const lines = explainLines(top, labels, (index) => (index === 0 ? 'y'.repeat(400) : 'short'));

    // Assess
    expect(lines).toEqual([
      {
        line: 1,
        label: 'error_spike',
        score: 0.9,
        threshold: 0.5,
        templateId: 7,
        template: 'disk <*> failed',
        reasons: [
          { feature: 'rare_word', value: 3, contribution: 0.4 },
          { feature: 'level_surprise', value: 1, contribution: 0.1 },
        ],
        text: `${'y'.repeat(159)}…`,
      },
      { line: 3, label: '1', score: 0.8, threshold: 0.5, templateId: null, template: null, reasons: expect.any(Array), text: 'short' },
    ]);
  });

  it('never cuts a surrogate pair in half', () => {
    expect(cut(`${'a'.repeat(8)}😀😀`, 10)).toBe(`${'a'.repeat(8)}…`);
    expect(cut('short', 10)).toBe('short');
  });
});
