/**
 * The batch suite, after the seed's batch script: baselines, then scaling one knob at a time,
 * balanced scaling, high partition counts and a stress run. `rateMultiplier` scales the suite's
 * per-producer rate (the stress run offers ten times as much per producer).
 */
export interface SuiteEntry {
  readonly group: 'baseline' | 'producer-scaling' | 'consumer-scaling' | 'balanced-scaling' | 'high-partitions' | 'stress';
  readonly name: string;
  readonly producers: number;
  readonly consumers: number;
  readonly partitions: number;
  readonly rateMultiplier: number;
}

const entry = (group: SuiteEntry['group'], name: string, producers: number, consumers: number, partitions: number, rateMultiplier = 1): SuiteEntry => ({
  group, name, producers, consumers, partitions, rateMultiplier,
});

export const seedSuite: readonly SuiteEntry[] = Object.freeze([
  entry('baseline', 'baseline-1p', 1, 1, 1),
  entry('baseline', 'baseline-3p', 1, 1, 3),
  entry('producer-scaling', 'producers-2', 2, 1, 3),
  entry('producer-scaling', 'producers-4', 4, 1, 3),
  entry('producer-scaling', 'producers-8', 8, 1, 3),
  entry('consumer-scaling', 'consumers-1', 4, 1, 6),
  entry('consumer-scaling', 'consumers-2', 4, 2, 6),
  entry('consumer-scaling', 'consumers-3', 4, 3, 6),
  entry('consumer-scaling', 'consumers-6', 4, 6, 6),
  entry('consumer-scaling', 'consumers-8', 4, 8, 6),
  entry('balanced-scaling', 'balanced-2', 2, 2, 2),
  entry('balanced-scaling', 'balanced-4', 4, 4, 4),
  entry('balanced-scaling', 'balanced-8', 8, 8, 8),
  entry('high-partitions', 'partitions-12', 4, 4, 12),
  entry('high-partitions', 'partitions-24', 8, 8, 24),
  entry('stress', 'stress', 16, 8, 12, 10),
]);

export const suiteGroups: readonly SuiteEntry['group'][] = ['baseline', 'producer-scaling', 'consumer-scaling', 'balanced-scaling', 'high-partitions', 'stress'];
