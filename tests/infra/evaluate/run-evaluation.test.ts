import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../../infra/evaluate/labels.js';
import { runEvaluation } from '../../../infra/evaluate/run-evaluation.js';
import { normalRecords } from '../../functions/shared/model/log-fixtures.js';

describe('runEvaluation', () => {
  it('retrains on its simulated clock (1 s per batch) with no minimum model age', async () => {
    // Prepare: 3,000 records = 30 batches; the first model after 1,000, then one due every 500 scored (5 simulated s).
    const records = normalRecords(3000, 11, 'eval');
    const labels = parseLabels('0\n'.repeat(records.length));

    // Act
    const result = await runEvaluation(records, labels, {
      featureSet: 'seed',
      thresholdRule: 'contamination',
      policy: { retrainEvery: 500, shift: { window: 0 }, forest: { trees: 10 } },
    });

    // Assess: 1 initial + retrains at 1,500, 2,000, 2,500 and 3,000 stored records, each 5 s after the last.
    expect(result.warmup).toBe(1000);
    expect(result.models).toBe(5);
  });
});
