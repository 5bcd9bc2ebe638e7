import { ConfigError } from '../errors.js';
import { FEATURE_SET_NAMES, type FeatureSetName } from '../features/index.js';
import { THRESHOLD_RULES, type ThresholdRule } from './threshold-rule.js';
import type { ForestOptions } from './isolation-forest.js';
import { defaultShiftPolicy, type ShiftPolicy } from './score-shift.js';

/** When a ModelManager rechecks, trains and retrains. Counts are log records; names follow ModelConfig. */
export interface ModelPolicy {
  /** Longest a cached model is trusted before the `latest` pointer is read again, in seconds; 0 = every call. */
  readonly recheckSeconds: number;
  /** Records a model is trained on (the newest stored); a model trained on fewer is provisional. */
  readonly trainingWindow: number;
  /**
   * With no usable model, train once this many records are stored (on all of them, up to
   * trainingWindow); at most trainingWindow (a larger value is cut to it). A model of fewer than
   * trainingWindow rows is provisional: refined each time the stored count reaches twice its rows.
   */
  readonly firstTrainingWindow: number;
  /** Between training attempts (no model yet, or a retrain that could not run), at least this many new records. */
  readonly retryEvery: number;
  /** Retrain after this many records were scored by the current model; 0 = never. */
  readonly retrainEvery: number;
  /**
   * No refinement, scheduled or shift retrain before the current model is this old, in seconds (clock
   * now minus its manifest's trainedAt, so every container agrees); 0 = no floor. Initial training ignores it.
   */
  readonly retrainMinSeconds: number;
  /** Expected share of anomalies, in (0, 0.5]. */
  readonly contamination: number;
  /** Forest options for new models (over defaultForestOptions). */
  readonly forest: Partial<ForestOptions>;
  /** Drift test that triggers a retrain (see score-shift.ts). */
  readonly shift: ShiftPolicy;
  /** How many of the largest per-feature contributions an anomaly reports. */
  readonly topContributors: number;
  /** Which feature set new models are trained on (loaded models must match it). */
  readonly featureSet: FeatureSetName;
  /** How new models set their threshold (threshold-rule.ts). */
  readonly thresholdRule: ThresholdRule;
}

export const defaultModelPolicy: ModelPolicy = Object.freeze({
  recheckSeconds: 30,
  trainingWindow: 1000,
  firstTrainingWindow: 200,
  retryEvery: 20,
  retrainEvery: 10_000,
  retrainMinSeconds: 60,
  contamination: 0.1,
  forest: Object.freeze({}),
  shift: defaultShiftPolicy,
  topContributors: 3,
  featureSet: 'seed',
  thresholdRule: 'contamination',
});

export type ModelPolicyOverrides = Partial<Omit<ModelPolicy, 'shift'>> & { readonly shift?: Partial<ShiftPolicy> };

/** Defaults merged with `overrides`, every value checked (ConfigError names the bad one). */
export function resolveModelPolicy(overrides: ModelPolicyOverrides = {}): ModelPolicy {
  const policy: ModelPolicy = {
    ...defaultModelPolicy,
    ...withoutUndefined(overrides),
    shift: { ...defaultShiftPolicy, ...withoutUndefined(overrides.shift ?? {}) },
  };
  requireNumber('recheckSeconds', policy.recheckSeconds, 0, 86_400);
  requireInteger('trainingWindow', policy.trainingWindow, 2, 1_000_000);
  requireInteger('firstTrainingWindow', policy.firstTrainingWindow, 2, 1_000_000);
  requireInteger('retryEvery', policy.retryEvery, 1, 1_000_000);
  requireInteger('retrainEvery', policy.retrainEvery, 0, Number.MAX_SAFE_INTEGER);
  requireInteger('retrainMinSeconds', policy.retrainMinSeconds, 0, 86_400);
  if (!(policy.contamination > 0 && policy.contamination <= 0.5)) {
    throw new ConfigError(`model policy contamination must be in (0, 0.5], got ${String(policy.contamination)}`);
  }
  requireInteger('shift.window', policy.shift.window, 0, 1_000_000);
  requireNumber('shift.flaggedRatio', policy.shift.flaggedRatio, 1, 1_000);
  requireNumber('shift.meanShiftStds', policy.shift.meanShiftStds, 0, 1_000);
  requireInteger('topContributors', policy.topContributors, 0, 4096);
  if (!(FEATURE_SET_NAMES as readonly string[]).includes(policy.featureSet)) {
    throw new ConfigError(`model policy featureSet must be one of ${FEATURE_SET_NAMES.join(', ')}, got ${String(policy.featureSet)}`);
  }
  if (!(THRESHOLD_RULES as readonly string[]).includes(policy.thresholdRule)) {
    throw new ConfigError(`model policy thresholdRule must be one of ${THRESHOLD_RULES.join(', ')}, got ${String(policy.thresholdRule)}`);
  }
  return { ...policy, firstTrainingWindow: Math.min(policy.firstTrainingWindow, policy.trainingWindow) };
}

function requireNumber(name: string, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new ConfigError(`model policy ${name} must be a number in [${min}, ${max}], got ${String(value)}`);
  }
}

function requireInteger(name: string, value: unknown, min: number, max: number): void {
  requireNumber(name, value, min, max);
  if (!Number.isInteger(value)) throw new ConfigError(`model policy ${name} must be an integer, got ${String(value)}`);
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
