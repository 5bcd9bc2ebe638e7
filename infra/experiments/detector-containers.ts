/**
 * The detector as the mapping's invoke target, run in-process the way Lambda runs it: each
 * concurrent invocation gets a warm container (createDetector — the factory the handler uses —
 * with its own PostgreSQL pool and model cache); a container serves one invocation at a time and
 * is reused afterwards, and a new one is created only when all are busy. So containers ≤ the most
 * concurrent invocations ≤ pollers. Counts invocations, records and the concurrency actually seen.
 */
import type { DatabaseConfig } from '../../functions/shared/config/index.js';
import { createDetector, type Detector } from '../../functions/detector/create-detector.js';
import type { DetectorLogger } from '../../functions/detector/detector-logger.js';
import type { DetectorSummary } from '../../functions/detector/process-batch.js';
import { createDetectorPool } from '../../functions/detector/detector-container.js';
import type { MetricsEmitter } from '../../functions/shared/metrics/index.js';
import type { ModelPolicyOverrides } from '../../functions/shared/model/model-policy.js';
import type { S3ModelStore } from '../../functions/shared/model/s3-model-store.js';
import type pg from 'pg';

export interface DetectorContainerOptions {
  readonly database: DatabaseConfig;
  /** The store each container reads the reference model from (a new one per container, as in Lambda). */
  readonly modelStore: () => S3ModelStore;
  readonly policy: ModelPolicyOverrides;
  readonly logger: DetectorLogger;
  /** A metrics emitter for container number `index` (consumer metrics on the metrics topic), or null. */
  readonly emitterFor: (index: number) => Pick<MetricsEmitter, 'recordMetric' | 'flush'> | null;
}

export interface InvocationStats {
  invocations: number;
  failedInvocations: number;
  records: number;
  stored: number;
  anomalies: number;
  deadLetters: number;
  /** Most invocations in flight at one moment. */
  maxConcurrent: number;
  containers: number;
  /** Versions that scored at least one batch ("none" for batches stored unscored). */
  modelVersions: Set<string>;
}

interface Container {
  readonly detector: Detector;
  readonly pool: pg.Pool;
}

export class DetectorContainers {
  readonly stats: InvocationStats = { invocations: 0, failedInvocations: 0, records: 0, stored: 0, anomalies: 0, deadLetters: 0, maxConcurrent: 0, containers: 0, modelVersions: new Set() };
  private readonly idle: Container[] = [];
  private readonly all: Container[] = [];
  private inFlight = 0;

  constructor(private readonly options: DetectorContainerOptions) {}

  /** The mapping's InvokeFunction: one detector invocation with `event`. */
  readonly invoke = async (event: unknown): Promise<DetectorSummary> => {
    const container = this.idle.pop() ?? this.create();
    this.inFlight += 1;
    this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, this.inFlight);
    try {
      const summary = await container.detector.handle(event);
      this.stats.invocations += 1;
      this.stats.records += summary.records;
      this.stats.stored += summary.stored;
      this.stats.anomalies += summary.anomalies;
      this.stats.deadLetters += summary.deadLetters;
      this.stats.modelVersions.add(summary.modelVersion ?? 'none');
      return summary;
    } catch (error) {
      this.stats.failedInvocations += 1;
      throw error;
    } finally {
      this.inFlight -= 1;
      this.idle.push(container);
    }
  };

  /** Ends every container's pool. */
  async close(): Promise<void> {
    await Promise.allSettled(this.all.splice(0).map((container) => container.pool.end()));
    this.idle.length = 0;
  }

  private create(): Container {
    const { database, logger } = this.options;
    const index = this.all.length;
    const pool = createDetectorPool(database, logger, 2);
    const detector = createDetector({
      pool,
      modelStore: this.options.modelStore(),
      policy: this.options.policy,
      emitter: this.options.emitterFor(index),
      logger,
    });
    const container = { detector, pool };
    this.all.push(container);
    this.stats.containers = this.all.length;
    return container;
  }
}
