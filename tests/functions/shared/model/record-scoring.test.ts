import { describe, expect, it } from 'vitest';
import { fullFeatureSet } from '../../../../functions/shared/features/index.js';
import { NOTABLE_SURPRISE, fullFeatureNames } from '../../../../functions/shared/features/full/full-definitions.js';
import { scoreRows } from '../../../../functions/shared/model/record-scoring.js';
import { trainModel } from '../../../../functions/shared/model/train-model.js';
import { normalRecords } from './log-fixtures.js';

const NOW = new Date('2026-11-24T03:15:00.000Z');

describe('scoreRows with the full feature set', () => {
  it('flags a row only when some feature reaches the notable surprise, whatever its score, and explains it', () => {
    // Prepare: a model whose threshold every off-zero row exceeds
    const trained = trainModel(normalRecords(2000, 3), { contamination: 0.05, now: NOW, featureSet: fullFeatureSet, thresholdRule: 'anchor', forest: { trees: 50 } });
    const model = { manifest: { ...trained, threshold: 0, artifactBytes: 1, sha256: '0'.repeat(64) }, forest: trained.forest };
    const width = fullFeatureNames.length;
    const rare = fullFeatureNames.indexOf('template_rarity');
    const hour = fullFeatureNames.indexOf('hour_rarity');
    const rows = new Float64Array(3 * width);
    rows[rare] = NOTABLE_SURPRISE * 0.8; // row 0: barely past a floor in two respects
    rows[hour] = NOTABLE_SURPRISE * 0.8;
    rows[width + rare] = NOTABLE_SURPRISE * 3; // row 1: clearly rare
    // row 2: all zeros

    // Act
    const [slight, clear, ordinary] = scoreRows(model, rows, 3, Int32Array.from([7, 8, 9]), 3);

    // Assess
    expect(slight?.score).toBeGreaterThan(0);
    expect(slight?.isAnomaly).toBe(false);
    expect(slight?.contributions).toEqual({});
    expect(clear?.isAnomaly).toBe(true);
    expect(Object.keys(clear?.contributions ?? {})[0]).toBe('template_rarity');
    expect(clear?.features.template_rarity).toBe(NOTABLE_SURPRISE * 3);
    expect(clear?.templateId).toBe(8);
    expect(ordinary?.isAnomaly).toBe(false);
  });
});
