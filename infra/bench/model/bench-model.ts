/**
 * npm run bench:model — scoring throughput of our Isolation Forest against ml-isolation-forest (npm)
 * and scikit-learn, on one seeded dataset, pinned to one core. Prints one JSON line per
 * implementation, then a summary line. Env: BENCH_MODEL_ROWS (default 100000), BENCH_MODEL_ML_ROWS
 * (rows ml-isolation-forest scores, default 5000), BENCH_MODEL_REPS (default 7).
 *
 * Training: ours and scikit-learn fit 100 trees of ψ 256 on the first TRAIN_ROWS rows; ml-isolation-
 * forest has no sub-sampling (each tree uses every row it is given), so it gets the first 256 of them.
 * Only scoring is timed: the median of the repetitions, after a warm-up. Agreement is reported as
 * Spearman ρ against our scores, next to ρ between two of our own forests that differ only by seed
 * (100 random trees cannot agree better than that), the overlap of the top-k rows (k = injected
 * outliers), and each model's recall of the injected outliers among its top k.
 */
import { IsolationForest } from '../../../functions/shared/model/isolation-forest.js';
import { makeMixedDataset } from './dataset.js';
import { fitMlIsolationForest, toNestedRows } from './ml-isolation-forest-adapter.js';
import { pinToOneCore } from './pin-to-one-core.js';
import { spearman, topKOverlap } from './rank-correlation.js';
import { runSklearn } from './sklearn-runner.js';
import { medianSeconds } from './timing.js';

const pinned = pinToOneCore();
const envInt = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

const ROWS = envInt('BENCH_MODEL_ROWS', 100_000);
const ML_ROWS = Math.min(ROWS, envInt('BENCH_MODEL_ML_ROWS', 5_000));
const REPS = envInt('BENCH_MODEL_REPS', 7);
const DIMS = 8;
const TRAIN_ROWS = Math.min(ROWS, 10_000);
const TREES = 100;
const PSI = 256;
const SEED = 42;

const print = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));
const round = (value: number, digits = 3): number => Number(value.toPrecision(digits + 3));

const data = makeMixedDataset(ROWS, DIMS, 0.01, 7);
const training = data.rows.subarray(0, TRAIN_ROWS * DIMS);
const context = { dataset: { rows: ROWS, dims: DIMS, outlierFraction: 0.01, trainRows: TRAIN_ROWS }, trees: TREES, sampleSize: PSI, pinned, node: process.version };

// Ours (WebAssembly kernel, the default engine).
let fitSeconds = 0;
const ours = (() => {
  const start = process.hrtime.bigint();
  const forest = IsolationForest.fit(training, TRAIN_ROWS, DIMS, { trees: TREES, sampleSize: PSI, seed: SEED });
  fitSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  return forest;
})();
const ourScores = new Float64Array(ROWS);
const oursSeconds = medianSeconds(REPS, () => ours.score(data.rows, ROWS, ourScores));
const oursRate = ROWS / oursSeconds;
print({ implementation: 'ours', engine: ours.engine, rowsScored: ROWS, repetitions: REPS, medianSeconds: round(oursSeconds), rowsPerSecond: Math.round(oursRate), fitSeconds: round(fitSeconds), artifactBytes: JSON.stringify(ours).length, ...context });

// How much two of our forests that differ only by seed agree: the ceiling for any cross-check.
const reseeded = IsolationForest.fit(training, TRAIN_ROWS, DIMS, { trees: TREES, sampleSize: PSI, seed: SEED + 1 }).score(data.rows, ROWS);
const outlierCount = data.isOutlier.reduce((a, b) => a + b, 0);
const seedToSeed = round(spearman(reseeded, ourScores), 4);
const recall = (scores: ArrayLike<number>, rows: number): number => round(topKOverlap(scores, data.isOutlier.subarray(0, rows), data.isOutlier.subarray(0, rows).reduce((a, b) => a + b, 0)), 4);
print({ implementation: 'ours (seed 43 vs 42)', spearmanVsOurs: seedToSeed, topOutliersOverlapVsOurs: round(topKOverlap(reseeded, ourScores, outlierCount), 4), injectedOutlierRecall: recall(ourScores, ROWS) });

// Ours, scoring in Kafka-batch-sized calls of 100 rows (per-call overhead included).
const batchOut = new Float64Array(100);
const batchSeconds = medianSeconds(REPS, () => {
  for (let start = 0; start + 100 <= ROWS; start += 100) ours.score(data.rows.subarray(start * DIMS, (start + 100) * DIMS), 100, batchOut);
});
const batchRows = Math.floor(ROWS / 100) * 100;
print({ implementation: 'ours (calls of 100 rows)', engine: ours.engine, rowsScored: batchRows, repetitions: REPS, medianSeconds: round(batchSeconds), rowsPerSecond: Math.round(batchRows / batchSeconds), ratioVsOurs: round(batchRows / batchSeconds / oursRate) });

// Ours, TypeScript fallback engine (used only where WebAssembly is unavailable).
const reference = ours.withEngine('reference');
const referenceScores = new Float64Array(ROWS);
const referenceSeconds = medianSeconds(Math.min(REPS, 3), () => reference.score(data.rows, ROWS, referenceScores));
print({ implementation: 'ours (typescript fallback engine)', engine: reference.engine, rowsScored: ROWS, repetitions: Math.min(REPS, 3), medianSeconds: round(referenceSeconds), rowsPerSecond: Math.round(ROWS / referenceSeconds), ratioVsOurs: round(ROWS / referenceSeconds / oursRate), identicalToOurs: referenceScores.every((v, i) => v === ourScores[i]) });

// ml-isolation-forest: slow, so it scores only the first ML_ROWS rows; rows/s is extrapolated from those.
const ml = fitMlIsolationForest(training, Math.min(PSI, TRAIN_ROWS), DIMS, TREES, SEED);
const mlInput = toNestedRows(data.rows, ML_ROWS, DIMS);
let mlScores: number[] = [];
const mlReps = Math.min(REPS, 3);
const mlSeconds = medianSeconds(mlReps, () => {
  mlScores = ml.predict(mlInput);
});
const mlRate = ML_ROWS / mlSeconds;
print({ implementation: 'ml-isolation-forest', rowsScored: ML_ROWS, repetitions: mlReps, medianSeconds: round(mlSeconds), rowsPerSecond: Math.round(mlRate), extrapolatedFrom: `${ML_ROWS} rows (its rate is per-row constant)`, trainedOn: `${Math.min(PSI, TRAIN_ROWS)} rows (no sub-sampling)`, ratioVsOurs: round(mlRate / oursRate), spearmanVsOurs: round(spearman(mlScores, ourScores.subarray(0, ML_ROWS)), 4), injectedOutlierRecall: recall(mlScores, ML_ROWS) });

// scikit-learn, in its own process (same core).
const sklearn = runSklearn(data.rows, ROWS, DIMS, TRAIN_ROWS, Math.min(REPS, 5), SEED);
const sklearnRate = typeof sklearn.report['rowsPerSecond'] === 'number' ? sklearn.report['rowsPerSecond'] : null;
const sklearnSpearman = sklearn.scores === null ? null : round(spearman(sklearn.scores, ourScores), 4);
print({
  ...sklearn.report,
  ...(sklearnRate === null ? {} : { rowsPerSecond: Math.round(sklearnRate), ratioVsOurs: round(sklearnRate / oursRate) }),
  ...(sklearn.scores === null
    ? {}
    : { spearmanVsOurs: sklearnSpearman, topOutliersOverlapVsOurs: round(topKOverlap(sklearn.scores, ourScores, outlierCount), 4), injectedOutlierRecall: recall(sklearn.scores, ROWS) }),
});

print({
  summary: true,
  oursRowsPerSecond: Math.round(oursRate),
  speedupVsSklearn: sklearnRate === null ? null : round(oursRate / sklearnRate),
  speedupVsMlIsolationForest: round(oursRate / mlRate),
  spearmanVsSklearn: sklearnSpearman,
  spearmanVsMlIsolationForest: round(spearman(mlScores, ourScores.subarray(0, ML_ROWS)), 4),
  spearmanOursSeedToSeed: seedToSeed,
  pinned,
});
