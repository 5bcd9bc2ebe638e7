import { ConfigError, ValidationError } from '../../shared/errors.js';
import type { AnomalyKind, AnomalyLabel } from '../../shared/log/anomaly-label.js';
import { MAX_ID_CHARS, type LogRecord } from '../../shared/log/log-record.js';
import { drawSpikeRecord, startErrorSpike, type ErrorSpike } from './anomalies/error-spike.js';
import { drawKeywordAnomaly } from './anomalies/keyword.js';
import { drawMessageDeviation } from './anomalies/message-deviation.js';
import { drawTemporalAnomaly } from './anomalies/temporal.js';
import { drawUnexpectedService } from './anomalies/unexpected-service.js';
import { AnomalySchedule, type AnomalyMix } from './anomaly-schedule.js';
import { DEFAULT_GENERATOR_CONFIG } from './default-config.js';
import { compileGeneratorConfig, type GeneratorConfig } from './generator-config.js';
import { DAY_MS } from './hour-window.js';
import type { LogDraft } from './log-draft.js';
import { drawNormalLog } from './normal-log.js';
import { Prng, type Seed } from './prng.js';
import { recordId, traceId } from './record-ids.js';

export interface LogGeneratorOptions {
  /** Services, hosts, templates and hours; default DEFAULT_GENERATOR_CONFIG. Validated (ConfigError). */
  config?: GeneratorConfig;
  /** Share of records that are anomalies, 0–1 (an error spike's records each count). */
  anomalyRate: number;
  /** Relative weights of the anomaly kinds; default all five equally. */
  anomalyMix?: AnomalyMix;
  /** Same seed (and producerId) ⇒ same stream for the same `nowMs` sequence. Default DEFAULT_SEED. */
  seed?: Seed;
  /** Stamped on every record; also salts record ids so runs never share ids. */
  experimentId?: string;
  /** Stamped on every record; mixed into the seed so parallel producers differ. */
  producerId?: string;
  /**
   * Event time of the first record, ms since the epoch. Log time then advances with `nowMs`
   * (log time = startTime + nowMs − first nowMs). Default: log time = nowMs.
   */
  startTime?: number;
}

/** One generated record, its ground-truth label (for the `x-anomaly-label` header) and its Kafka key. */
export interface GeneratedLog {
  readonly record: LogRecord;
  readonly label: AnomalyLabel;
  /** The Kafka key: the record's service, so a service's records stay in order on one partition. */
  readonly key: string;
}

export interface LogGenerator {
  /** The next record; `nowMs` is the producer's clock (ms since the epoch). */
  next(nowMs: number): GeneratedLog;
  /** Records generated so far (also the next record's `seq`). */
  readonly count: number;
}

export const DEFAULT_SEED = 0x5eed;
/** Latest log time accepted: one day before 10000-01-01, so every timestamp has a 4-digit year. */
const MAX_LOG_TIME_MS = 253_402_300_800_000 - DAY_MS;

/**
 * Creates a generator of realistic application logs with injected anomalies. Normal records fall
 * inside each service's usual hours (the log time is folded into them), so the hour of a record
 * is informative; see anomalies/ for the five anomaly kinds.
 */
export function createLogGenerator(options: LogGeneratorOptions): LogGenerator {
  if (typeof options !== 'object' || options === null) throw new ConfigError('createLogGenerator needs an options object');
  const experimentId = optionalId(options.experimentId, 'experimentId');
  const producerId = optionalId(options.producerId, 'producerId');
  const seed = checkSeed(options.seed ?? DEFAULT_SEED);
  const startTime = options.startTime;
  if (startTime !== undefined && !isLogTime(startTime)) {
    throw new ConfigError(`startTime must be ms since the epoch between 0 and ${MAX_LOG_TIME_MS}, got ${String(startTime)}`);
  }
  const config = compileGeneratorConfig(options.config ?? DEFAULT_GENERATOR_CONFIG);
  const schedule = new AnomalySchedule(options.anomalyRate, options.anomalyMix);

  const rng = new Prng(JSON.stringify([seed, producerId ?? null]));
  const saltRng = new Prng(JSON.stringify(['record-id-salt', experimentId ?? null]));
  const salt = [saltRng.uint32(), saltRng.uint32(), saltRng.uint32(), saltRng.uint32()] as const;
  let firstNowMs: number | undefined;
  let spike: ErrorSpike | undefined;
  let seq = 0;

  function logTimeOf(nowMs: number): number {
    if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) throw new ValidationError(`nowMs must be a finite number of ms, got ${String(nowMs)}`);
    firstNowMs ??= nowMs;
    const logTime = startTime === undefined ? nowMs : startTime + (nowMs - firstNowMs);
    if (!isLogTime(logTime)) throw new ValidationError(`log time ${logTime} (from nowMs ${nowMs}) is outside 0..${MAX_LOG_TIME_MS}`);
    return logTime;
  }

  function draw(kind: AnomalyKind | undefined, logTime: number): LogDraft {
    switch (kind) {
      case undefined:
        return drawNormalLog(rng, config.services.pick(rng), logTime);
      case 'error_spike':
        spike = startErrorSpike(rng, config);
        return drawSpikeRecord(rng, spike, logTime);
      case 'unexpected_service':
        return drawUnexpectedService(rng, config, logTime);
      case 'message_deviation':
        return drawMessageDeviation(rng, config, logTime);
      case 'temporal':
        return drawTemporalAnomaly(rng, config, logTime);
      case 'keyword':
        return drawKeywordAnomaly(rng, config, logTime);
    }
  }

  return {
    get count() {
      return seq;
    },
    next(nowMs: number): GeneratedLog {
      const logTime = logTimeOf(nowMs);
      let label: AnomalyLabel;
      let draft: LogDraft;
      if (spike !== undefined) {
        label = 'error_spike';
        draft = drawSpikeRecord(rng, spike, logTime);
      } else {
        const kind = schedule.next(rng);
        label = kind ?? 'none';
        draft = draw(kind, logTime);
      }
      if (spike !== undefined && spike.remaining <= 0) spike = undefined;
      const record = toRecord(draft, recordId(rng, salt), traceId(rng), seq, experimentId, producerId);
      seq += 1;
      return { record, label, key: record.service };
    },
  };
}

function toRecord(draft: LogDraft, id: string, trace: string, seq: number, experimentId: string | undefined, producerId: string | undefined): LogRecord {
  const record: LogRecord = {
    id,
    ts: new Date(draft.timeMs).toISOString(),
    service: draft.service,
    level: draft.level,
    message: draft.message,
    host: draft.host,
    traceId: trace,
  };
  if (experimentId !== undefined) record.experimentId = experimentId;
  if (producerId !== undefined) record.producerId = producerId;
  record.seq = seq;
  return record;
}

function isLogTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_LOG_TIME_MS;
}

function optionalId(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_CHARS || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new ConfigError(`${name} must be a string of 1–${MAX_ID_CHARS} characters without control characters`);
  }
  return value;
}

function checkSeed(seed: unknown): Seed {
  if ((typeof seed === 'number' && Number.isFinite(seed)) || (typeof seed === 'string' && seed.length <= 256)) return seed;
  throw new ConfigError(`seed must be a finite number or a string of at most 256 characters, got ${typeof seed}`);
}
