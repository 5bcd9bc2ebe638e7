import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { FEATURE_SCHEMA_VERSION, featureSetNamed, fullFeatureSet, seedFeatureSet, type ExtractedFeatures, type FeatureExtractor } from '../../../../functions/shared/features/index.js';
import type { LogLevel, LogRecord } from '../../../../functions/shared/log/index.js';

const names = fullFeatureSet.names;
const column = (name: string): number => {
  const index = names.indexOf(name);
  if (index < 0) throw new Error(`no feature ${name}`);
  return index;
};

let nextId = 0;
/** A record of `service` at 10:MM UTC (normal traffic logs between 09:00 and 11:59). */
function record(service: string, message: string, level: LogLevel = 'INFO', ts = '2026-11-24T10:15:00.000Z'): LogRecord {
  nextId += 1;
  return { id: `r-${nextId}`, ts, service, level, message, host: `${service}-1` };
}

/** Normal traffic: two services, a few templates each, 9–11 h UTC, about 8 % WARN/ERROR. */
function normalTraffic(count: number): LogRecord[] {
  const out: LogRecord[] = [];
  for (let i = 0; i < count; i++) {
    const hour = String(9 + (i % 3)).padStart(2, '0');
    const ts = `2026-11-24T${hour}:${String(i % 60).padStart(2, '0')}:00.000Z`;
    if (i % 2 === 0) {
      const kind = i % 26;
      if (kind === 0) out.push(record('api', `GET /orders/${i} 500 upstream error after ${i % 90}ms`, 'ERROR', ts));
      else if (kind === 12) out.push(record('api', `Slow response for GET /orders/${i}: ${i}ms`, 'WARN', ts));
      else out.push(record('api', `GET /orders/${i} 200 ${i % 50}ms client=10.0.${i % 7}.1`, 'INFO', ts));
    } else {
      out.push(record('users', i % 4 === 1 ? `User ${i} logged in from 10.1.${i % 9}.2` : `Session ${i} created for user ${i * 7}`, 'INFO', ts));
    }
  }
  return out;
}

/** A fitted extractor and the value of `feature` for each probe, extracted in one batch. */
/** A batch's rows as they finally stand: each record's last revision by the records after it in the batch (late verdicts). */
function finalRows({ matrix, revisions }: ExtractedFeatures): Float64Array {
  const rows = Float64Array.from(matrix);
  for (const revision of revisions ?? []) if (revision.index >= 0) rows.set(revision.row, revision.index * names.length);
  return rows;
}

function measure(probes: LogRecord[], feature: string, training = normalTraffic(2000)): { values: number[]; extractor: FeatureExtractor } {
  const { extractor } = fullFeatureSet.fit(training);
  const matrix = finalRows(extractor.extract(probes));
  return { values: probes.map((_, i) => matrix[i * names.length + column(feature)] as number), extractor };
}

describe('the full feature set', () => {
  it('keeps the seed set available, with its own schema version; the full one differs', () => {
    // Assess
    expect(featureSetNamed('seed')).toBe(seedFeatureSet);
    expect(seedFeatureSet.schemaVersion).toBe(FEATURE_SCHEMA_VERSION);
    expect(fullFeatureSet.schemaVersion).not.toBe(FEATURE_SCHEMA_VERSION);
    expect(fullFeatureSet.schemaVersion).toMatch(/^fs2-9-[0-9a-f]{8}$/);
    expect(() => featureSetNamed('everything')).toThrow(/unknown feature set/);
  });

  it('gives ordinary records all zeros', () => {
    // Prepare
    const probes = [record('api', 'GET /orders/77 200 12ms client=10.0.3.1'), record('users', 'User 5 logged in from 10.1.1.2')];

    // Act
    const { extractor } = fullFeatureSet.fit(normalTraffic(2000));
    const { matrix } = extractor.extract(probes);

    // Assess
    expect(Array.from(matrix)).toEqual(new Array(probes.length * names.length).fill(0));
  });

  it('service_rarity: a service never seen before', () => {
    const { values } = measure([record('crypto-miner', 'Exporting 100 records'), record('api', 'GET /orders/1 200 5ms client=10.0.1.1')], 'service_rarity');
    expect(values[0]).toBeGreaterThan(0.5);
    expect(values[1]).toBe(0);
  });

  it('template_rarity and rare_word: a message of a shape and with words never seen', () => {
    const probe = [record('api', 'Container restarted: reason OOMKilled, limit exceeded')];
    expect(measure(probe, 'template_rarity').values[0]).toBeGreaterThan(0.5);
    expect(measure(probe, 'rare_word').values[0]).toBeGreaterThan(0.5);
  });

  it("service_template_rarity: a known template logged by another service", () => {
    const { values } = measure([record('api', 'User 12 logged in from 10.1.1.2'), record('users', 'User 12 logged in from 10.1.1.2')], 'service_template_rarity');
    expect(values[0]).toBeGreaterThan(0.5);
    expect(values[1]).toBe(0);
  });

  it('length_deviation: a message far longer than its template usually is', () => {
    const { values } = measure([record('users', `Session 9 created for user ${'9'.repeat(3000)}`), record('users', 'Session 9 created for user 63')], 'length_deviation');
    expect(values[0]).toBeGreaterThan(1);
    expect(values[1]).toBe(0);
  });

  it('odd_characters: a binary-looking message', () => {
    const { values } = measure([record('api', '\u0001\u0002\u00ff\ufffd\u00e9\u0003'), record('api', 'GET /orders/1 200 5ms client=10.0.1.1')], 'odd_characters');
    expect(values[0]).toBe(1);
    expect(values[1]).toBe(0);
  });

  it('hour_rarity: a known service logging at an hour it never logs, not at its usual hours', () => {
    const { values } = measure(
      [
        record('api', 'GET /orders/1 200 5ms client=10.0.1.1', 'INFO', '2026-11-24T03:30:00.000Z'),
        record('api', 'GET /orders/1 200 5ms client=10.0.1.1', 'INFO', '2026-11-24T10:30:00.000Z'),
        record('api', 'GET /orders/1 200 5ms client=10.0.1.1', 'INFO', '2026-11-24T12:30:00.000Z'),
      ],
      'hour_rarity',
    );
    // 03:00 is far from 09–11 h; 12:00 borders 11:00 (the ±1 h smoothing) and is only mildly quieter
    expect(values[0]).toBeGreaterThan(1);
    expect(values[1]).toBe(0);
    expect(values[2]).toBe(0);
  });

  it('template_burst: one template repeating far beyond its usual share, seen ahead in a batch and behind across batches', () => {
    // Prepare: the api's error template is about 1 in 26 of its records
    const { extractor } = fullFeatureSet.fit(normalTraffic(2000));
    const burst = Array.from({ length: 8 }, (_, i) => record('api', `GET /orders/${i} 500 upstream error after 9ms`, 'ERROR'));
    const lone = record('api', 'GET /orders/3 500 upstream error after 9ms', 'ERROR');
    const calm = () => record('api', 'GET /orders/1 200 5ms client=10.0.1.1');

    // Act: the first 3 of the burst end one batch, the other 5 start the next; later a lone error after calm traffic
    const first = extractor.extract([calm(), ...burst.slice(0, 3)], undefined, 0, [0, 1, 2, 3]);
    const second = extractor.extract([...burst.slice(3), ...Array.from({ length: 8 }, calm), lone], undefined, 0, Array.from({ length: 14 }, (_, i) => 4 + i));

    // Assess: the burst's first error is revised in the next batch, once 8 api records followed it
    const at = (matrix: Float64Array, row: number) => matrix[row * names.length + column('template_burst')] as number;
    expect(at(first.matrix, 0)).toBe(0);
    const revisedFirst = second.revisions?.find((revision) => revision.ref === 1);
    expect(revisedFirst?.index).toBe(-1);
    expect(revisedFirst?.row[column('template_burst')]).toBeGreaterThan(0);
    expect(at(second.matrix, 4)).toBeGreaterThan(0);
    expect(at(finalRows(second), 13)).toBe(0);
  });

  it('template_burst: many different alert templates at once are not one burst', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(normalTraffic(2000));
    const dump = ['machine check enable', 'floating point enabled', 'core configuration register', 'exception syndrome register', 'data address space', 'program interrupt trap'];

    // Act
    const matrix = finalRows(extractor.extract(dump.map((message) => record('api', message, 'ERROR'))));

    // Assess
    for (let row = 0; row < dump.length; row++) expect(matrix[row * names.length + column('template_burst')]).toBe(0);
  });

  it('alert_surprise: many warnings of a service at once, only on the warnings themselves', () => {
    // Prepare
    const warnings = Array.from({ length: 10 }, (_, i) => record('users', `Password reset for user ${i}, retry 5`, 'WARN'));

    // Act
    const { values } = measure([...warnings, record('users', 'Session 1 created for user 7')], 'alert_surprise');

    // Assess
    expect(values[5]).toBeGreaterThan(1);
    expect(values[10]).toBe(0);
  });

  it('alert_surprise: a warning next to an error spike is not part of it', () => {
    // Prepare
    const errors = Array.from({ length: 9 }, (_, i) => record('api', `Database pool exhausted after ${i}ms`, 'ERROR'));

    // Act
    const { values } = measure([...errors, record('api', `Slow response for GET /orders/1: 900ms`, 'WARN')], 'alert_surprise');

    // Assess
    expect(values[4]).toBeGreaterThan(1);
    expect(values[9]).toBe(0);
  });

  it('learns a redelivered record only once', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(normalTraffic(2000));
    const novel = record('api', 'brand new kind of message here');

    // Act
    const first = extractor.extract([novel]).matrix;
    const again = extractor.extract([novel]).matrix;
    const other = extractor.extract([{ ...novel, id: 'another-id' }]).matrix;

    // Assess: the redelivery measures the same rarity; a genuinely second sighting is less rare
    const rarity = column('template_rarity');
    expect(again[rarity]).toBeCloseTo(first[rarity] as number, 3);
    expect(other[rarity]).toBeLessThan(first[rarity] as number);
  });

  it('keeps template ids across retraining and survives a snapshot round trip bit for bit', () => {
    // Prepare
    const training = normalTraffic(1500);
    const { extractor } = fullFeatureSet.fit(training);
    const probe = [record('api', 'GET /orders/9 200 7ms client=10.0.1.1'), record('ops', 'Disk quota exceeded on volume data')];
    const restored = fullFeatureSet.restore(JSON.parse(JSON.stringify(extractor.snapshot())));

    // Act
    const fromLive = extractor.extract(probe);
    const fromRestored = restored.extract(probe);
    const retrained = fullFeatureSet.fit(normalTraffic(500), extractor).extractor;

    // Assess
    expect(Array.from(fromRestored.matrix)).toEqual(Array.from(fromLive.matrix));
    expect(Array.from(fromRestored.templateIds ?? [])).toEqual(Array.from(fromLive.templateIds ?? []));
    expect(retrained.extract([probe[0]!]).templateIds?.[0]).toBe(fromLive.templateIds?.[0]);
  });

  it.each([
    ['null', null],
    ['a wrong version', { version: 9 }],
    ['a hostile miner', { version: 1, miner: { options: {}, nextId: 1, groups: [] }, total: 0, services: [], words: [], lengths: [], windows: [], floors: [2, 2, 2, 2, 2] }],
  ])('refuses a malformed state: %s', (_what, state) => {
    expect(() => fullFeatureSet.restore(state)).toThrow(ValidationError);
  });
});

describe('the full feature set on a system it has never seen', () => {
  const value = (matrix: Float64Array, row: number, feature: string): number => matrix[row * names.length + column(feature)] as number;

  it('reports a new routine message once, not once per line until it is common', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(normalTraffic(2000));
    const burst = Array.from({ length: 6 }, (_, i) => record('api', `Checkpoint written to volume archive${i % 2 === 0 ? '' : ''} in ${i}ms`));

    // Act
    const { matrix } = extractor.extract(burst);

    // Assess: the first line is new; the five after it follow a line the service just logged
    expect(value(matrix, 0, 'template_rarity')).toBeGreaterThan(0.5);
    for (let row = 1; row < burst.length; row++) expect(value(matrix, row, 'template_rarity')).toBe(0);
  });

  it('still sees a burst of a new message at ERROR through template_burst', () => {
    // Prepare
    const { extractor } = fullFeatureSet.fit(normalTraffic(2000));
    const burst = Array.from({ length: 8 }, (_, i) => record('users', `Replica set lost quorum after ${i}ms`, 'ERROR'));

    // Act
    const { matrix } = extractor.extract(burst);

    // Assess
    for (let row = 1; row < burst.length; row++) expect(value(matrix, row, 'template_burst')).toBeGreaterThan(0.5);
  });

  it('finds a new template unremarkable in a system that often logs new ones, and remarkable in a settled one', () => {
    // Prepare: the noisy system logs a never-seen message every 10th line
    const word = (n: number): string => Array.from({ length: 6 }, (_, k) => String.fromCharCode(97 + ((n * 7 + k * 13 + ((n / (k + 1)) | 0)) % 26))).join('');
    const noisy = normalTraffic(2000).map((one, i) => (i % 10 === 5 ? { ...one, message: `${word(i)} ${word(i + 1)} ${word(i + 2)}` } : one));
    const settled = fullFeatureSet.fit(normalTraffic(2000)).extractor;
    const busy = fullFeatureSet.fit(noisy).extractor;
    const probe = (): LogRecord[] => [record('api', 'Rebalanced shard map across zones quickly')];

    // Act
    const inSettled = value(settled.extract(probe()).matrix, 0, 'template_rarity');
    const inBusy = value(busy.extract(probe()).matrix, 0, 'template_rarity');

    // Assess
    expect(inSettled).toBeGreaterThan(0.5);
    expect(inBusy).toBe(0);
  });

  it('measures a training window as the live stream is measured: record by record, before learning each', () => {
    // Prepare: a message seen once at row 300, then 60 more times at the end of the window
    const training = normalTraffic(400);
    const odd = (): LogRecord => record('api', 'Configuration reloaded from disk', 'INFO', training[0]?.ts);
    training.splice(300, 0, odd());
    for (let i = 0; i < 60; i++) training.push(odd());

    // Act
    const { matrix, extractor } = fullFeatureSet.fit(training);
    const live = fullFeatureSet.fit(training.slice(0, 300)).extractor.extract([odd()]).matrix;

    // Assess: the first record met an empty state (nothing known, nothing surprising); the message's
    // first sighting is rare in its training row as it is live, though common by the window's end
    expect(value(matrix, 0, 'template_rarity')).toBe(0);
    expect(value(matrix, 0, 'service_rarity')).toBe(0);
    expect(value(matrix, 300, 'template_rarity')).toBeGreaterThan(0);
    expect(value(live, 0, 'template_rarity')).toBeGreaterThan(0);
    expect(value(extractor.extract([odd()]).matrix, 0, 'template_rarity')).toBe(0);
  });

  it('takes no hour of day as unusual until the stream has been through it', () => {
    // Prepare: 30 minutes of traffic at 10:xx
    const at = (hhmm: string): string => `2026-11-24T${hhmm}:00.000Z`;
    const training = Array.from({ length: 600 }, (_, i) => record('api', `GET /orders/${i} 200 5ms client=10.0.0.1`, 'INFO', at(`10:${String(i % 30).padStart(2, '0')}`)));
    const { extractor } = fullFeatureSet.fit(training);

    // Act: the stream moves on to 13:00; then a record stamped 03:00 the same day arrives
    const movingOn = extractor.extract([record('api', 'GET /orders/1 200 5ms client=10.0.0.1', 'INFO', at('13:00'))]).matrix;
    const behind = extractor.extract([record('api', 'GET /orders/2 200 5ms client=10.0.0.1', 'INFO', at('03:00'))]).matrix;

    // Assess
    expect(value(movingOn, 0, 'hour_rarity')).toBe(0);
    expect(value(behind, 0, 'hour_rarity')).toBeGreaterThan(0.5);
  });
});
