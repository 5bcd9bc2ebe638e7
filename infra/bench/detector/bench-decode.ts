/**
 * npm run bench:decode — CPU per record of the detector's decode path: parseKafkaEvent, then
 * mapRecord for every record (base64, headers, UTF-8, JSON, validation, label, features, row
 * checks), for the current code ("new") against the pre-fast-path code kept in baseline/ ("old").
 * It also times parseLogRecord alone (UTF-8, JSON, validation) on the same values.
 *
 * Events are realistic aws:kafka events of BENCH_DECODE_RECORDS records (default 2,000), passed
 * through structuredClone before each round as the detector's worker receives them (the clone is
 * not measured), then a full garbage collection. Rounds alternate old and new after
 * BENCH_DECODE_WARMUP warm-up rounds each. Figures are medians over BENCH_DECODE_ROUNDS rounds of
 * the process's CPU time (user + system, garbage-collection threads included; CPU time rather
 * than wall time because the machine is shared), in µs per record. Both paths must map every
 * record to the same result, or the bench fails.
 */
import { isDeepStrictEqual } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { mapRecord, type MappedRecord } from '../../../functions/detector/map-record.js';
import { parseKafkaEvent, type KafkaEventRecord, type KafkaEventWire, type ParsedKafkaEvent } from '../../../functions/shared/kafka/index.js';
import { parseLogRecord } from '../../../functions/shared/log/index.js';
import { baselineParseKafkaEvent } from './baseline/baseline-kafka-event.js';
import { baselineMapRecord, baselineParseLogRecord } from './baseline/baseline-map-record.js';
import { realisticKafkaEvents } from './realistic-events.js';

interface DecodePath {
  parse: (event: unknown) => ParsedKafkaEvent;
  map: (record: KafkaEventRecord) => MappedRecord;
  parseLog: (bytes: Buffer | null) => unknown;
}

type PathName = 'old' | 'new';
const paths: Record<PathName, DecodePath> = {
  old: { parse: baselineParseKafkaEvent, map: baselineMapRecord, parseLog: baselineParseLogRecord },
  new: { parse: parseKafkaEvent, map: mapRecord, parseLog: parseLogRecord },
};

function envInt(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

let RECORDS: number;
let EVENTS: number;
let WARMUP: number;
let ROUNDS: number;
try {
  RECORDS = envInt('BENCH_DECODE_RECORDS', 2_000, 10_000);
  EVENTS = envInt('BENCH_DECODE_EVENTS', 5, 50);
  WARMUP = envInt('BENCH_DECODE_WARMUP', 5, 100);
  ROUNDS = envInt('BENCH_DECODE_ROUNDS', 15, 200);
} catch (error) {
  console.error(`bench:decode: ${(error as Error).message}`);
  process.exit(2);
}

/** CPU time of this process (user + system, all threads: garbage collection included), µs. */
function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface RoundTiming {
  parseUs: number;
  mapUs: number;
  parseLogUs: number;
}

/** One pass over every event: parse, map every record (kept, as a batch keeps them), then parseLogRecord alone. */
function runRound(path: DecodePath, clones: readonly unknown[]): RoundTiming {
  const timing: RoundTiming = { parseUs: 0, mapUs: 0, parseLogUs: 0 };
  const mapped: MappedRecord[] = [];
  const values: Array<Buffer | null> = [];
  for (const clone of clones) {
    const start = cpuMicros();
    const parsed = path.parse(clone);
    const parsedAt = cpuMicros();
    for (const record of parsed.records) mapped.push(path.map(record));
    timing.mapUs += cpuMicros() - parsedAt;
    timing.parseUs += parsedAt - start;
    for (const record of parsed.records) values.push(record.ok ? record.value : null);
  }
  if (mapped.length !== RECORDS * EVENTS) throw new Error(`bench:decode: mapped ${mapped.length} of ${RECORDS * EVENTS} records`);
  const start = cpuMicros();
  for (const value of values) path.parseLog(value);
  timing.parseLogUs = cpuMicros() - start;
  return timing;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;

/** Both paths must agree record by record, or the comparison means nothing. */
function assertSameMapping(events: readonly KafkaEventWire[]): void {
  for (const event of events) {
    const oldMapped = paths.old.parse(structuredClone(event)).records.map(paths.old.map);
    const newMapped = paths.new.parse(structuredClone(event)).records.map(paths.new.map);
    if (!isDeepStrictEqual(oldMapped, newMapped)) throw new Error('bench:decode: the old and new decode paths disagree on the benchmark events');
  }
}

const events = realisticKafkaEvents({ recordsPerEvent: RECORDS, events: EVENTS, partitions: 4, seed: 20_000 });
assertSameMapping(events);
const perRecord = RECORDS * EVENTS;
const samples: Record<PathName, { total: number[]; parse: number[]; map: number[]; parseLog: number[] }> = {
  old: { total: [], parse: [], map: [], parseLog: [] },
  new: { total: [], parse: [], map: [], parseLog: [] },
};
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  for (const name of round % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const)) {
    const clones = events.map((event) => structuredClone(event));
    collectGarbage();
    const timing = runRound(paths[name], clones);
    if (round < WARMUP) continue;
    samples[name].total.push((timing.parseUs + timing.mapUs) / perRecord);
    samples[name].parse.push(timing.parseUs / perRecord);
    samples[name].map.push(timing.mapUs / perRecord);
    samples[name].parseLog.push(timing.parseLogUs / perRecord);
  }
}

const summarize = (name: PathName) => ({
  usPerRecord: round3(median(samples[name].total)),
  parseKafkaEventUs: round3(median(samples[name].parse)),
  mapRecordUs: round3(median(samples[name].map)),
  parseLogRecordUs: round3(median(samples[name].parseLog)),
});
const oldPath = summarize('old');
const newPath = summarize('new');
console.log(
  JSON.stringify({
    bench: 'decode',
    recordsPerEvent: RECORDS,
    events: EVENTS,
    rounds: ROUNDS,
    old: oldPath,
    new: newPath,
    ratio: round3(oldPath.usPerRecord / newPath.usPerRecord),
    parseKafkaEventRatio: round3(oldPath.parseKafkaEventUs / newPath.parseKafkaEventUs),
    mapRecordRatio: round3(oldPath.mapRecordUs / newPath.mapRecordUs),
    parseLogRecordRatio: round3(oldPath.parseLogRecordUs / newPath.parseLogRecordUs),
  }),
);
