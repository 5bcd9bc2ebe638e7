import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExperimentDetail, checkExperimentsIndex } from '../../dashboard/src/data/check-experiments.js';
import { checkRealtime } from '../../dashboard/src/data/check-realtime.js';
import { loadJson, pageBase } from '../../dashboard/src/data/load-json.js';
import { DataError } from '../../dashboard/src/data/shape.js';
import { parseLimit } from '../../dashboard/src/views/realtime/display-limit.js';

const snapshot = {
  schema: 1,
  kind: 'realtime',
  generatedAt: '2026-12-05T10:00:00.000Z',
  windowMinutes: 60,
  totals: { logs: 2, anomalies: 1, anomalyRate: 0.5, activeServices: 1, deadLetters: 0 },
  levels: [{ level: 'INFO', count: 2 }],
  services: [{ service: 'auth', logs: 2, anomalies: 1 }],
  timeline: [{ minute: '2026-12-05T10:00:00.000Z', logs: 2, anomalies: 1 }],
  recentAnomalies: [],
  recentLogs: [{ logId: 'l1', ts: '2026-12-05T10:00:00.000Z', service: 'auth', level: 'INFO', message: '<b>hi</b>', host: null, anomalous: false, score: null }],
  model: null,
  training: { trainingWindow: 1000, firstTrainingWindow: 200, storedTowardFirst: 2 },
};

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DataError);
    return (error as Error).message;
  }
  throw new Error('expected a DataError');
}

describe('the page checks every data object it loads', () => {
  it('accepts a well-formed snapshot and keeps text as it is', () => {
    // Act
    const checked = checkRealtime(snapshot, 'data/realtime.json');

    // Assess
    expect(checked.recentLogs[0]!.message).toBe('<b>hi</b>');
    expect(checked.totals).toEqual(snapshot.totals);
    expect(checked.training).toEqual(snapshot.training);
  });

  it('reads the model and the training windows: provisional flag, rows, and the first-model progress', () => {
    // Prepare
    const model = { version: 'v1', trainedAt: '2026-12-05T10:00:00.000Z', threshold: 0.6, trainingRows: 200, provisional: true };

    // Act
    const checked = checkRealtime({ ...snapshot, model, training: { ...snapshot.training, storedTowardFirst: null } }, 'data/realtime.json');

    // Assess
    expect(checked.model).toEqual(model);
    expect(checked.training.storedTowardFirst).toBeNull();
    expect(errorOf(() => checkRealtime({ ...snapshot, model: { ...model, provisional: 'yes' } }, 'data/realtime.json'))).toBe(
      'data/realtime.json is malformed: model.provisional should be true or false but is string',
    );
    expect(errorOf(() => checkRealtime({ ...snapshot, model: { version: 'v1', trainedAt: '', threshold: 0.6, trainingRows: 200 } }, 'data/realtime.json'))).toMatch(/model\.provisional should be true or false but is undefined/);
    expect(errorOf(() => checkRealtime({ ...snapshot, training: undefined }, 'data/realtime.json'))).toBe('data/realtime.json is malformed: training should be an object but is undefined');
    expect(errorOf(() => checkRealtime({ ...snapshot, training: { ...snapshot.training, trainingWindow: '1000' } }, 'data/realtime.json'))).toMatch(/training\.trainingWindow should be a number but is string/);
  });

  it('names the object and the field at fault', () => {
    // Act + Assess
    expect(errorOf(() => checkRealtime({ ...snapshot, totals: { ...snapshot.totals, logs: '2' } }, 'data/realtime.json'))).toBe(
      'data/realtime.json is malformed: totals.logs should be a number but is string',
    );
    expect(errorOf(() => checkRealtime({ ...snapshot, recentLogs: [{ ...snapshot.recentLogs[0], anomalous: 'yes' }] }, 'data/realtime.json'))).toMatch(
      /recentLogs\[0\]\.anomalous should be true or false/,
    );
    expect(errorOf(() => checkRealtime([], 'data/realtime.json'))).toBe('data/realtime.json is malformed: the object should be an object but is a list');
    expect(errorOf(() => checkRealtime({ ...snapshot, kind: 'experiment' }, 'data/realtime.json'))).toMatch(/it is not a realtime object/);
    expect(errorOf(() => checkRealtime({ ...snapshot, schema: 2 }, 'data/realtime.json'))).toMatch(/has data schema 2; this page reads schema 1: redeploy the dashboard/);
    expect(errorOf(() => checkRealtime({ ...snapshot, recentLogs: new Array(5001).fill(snapshot.recentLogs[0]) }, 'data/realtime.json'))).toMatch(/recentLogs has 5001 items/);
  });

  it('refuses an experiments index whose keys point outside the data folder', () => {
    // Prepare
    const experiment = {
      id: 'e',
      name: 'n',
      status: 'completed',
      statusReason: null,
      producers: 1,
      consumers: 1,
      partitions: 1,
      settings: {},
      suiteId: null,
      trial: null,
      startedAt: '2026-12-05T10:00:00.000Z',
      endedAt: null,
      durationSeconds: 1,
      producerThroughput: null,
      detectorThroughput: 5,
      latencyP95Ms: null,
      detection: null,
    };
    const index = (key: string) => ({ schema: 1, kind: 'experiments-index', generatedAt: '2026-12-05T10:00:00.000Z', experiments: [{ ...experiment, key }] });

    // Act + Assess
    expect(checkExperimentsIndex(index('data/experiments/e-0123456789ab.json'), 'i').experiments[0]!.detectorThroughput).toBe(5);
    for (const key of ['../secrets.json', 'https://evil.example/x.json', 'data/experiments/../../index.html', '//evil.example/x.json']) {
      expect(errorOf(() => checkExperimentsIndex(index(key), 'i'))).toMatch(/key is not a data object key/);
    }
    expect(errorOf(() => checkExperimentsIndex({ ...index('data/experiments/e.json'), experiments: [{ ...experiment, key: 'data/experiments/e.json', status: 'paused' }] }, 'i'))).toMatch(
      /experiments\[0\]\.status should be running, completed or failed/,
    );
    expect(errorOf(() => checkExperimentDetail({ schema: 1, kind: 'experiment', generatedAt: 'x', experiment, metrics: [], throughput: { seconds: [0], producer: ['1'], detector: [] }, latency: null, lag: [] }, 'd'))).toMatch(
      /throughput\.producer\[0\] should be a number/,
    );
  });
});

describe('loadJson over HTTP', () => {
  let server: Server;
  let base: URL;
  const bodies: Record<string, { status: number; body: string; headers?: Record<string, string> }> = {
    '/ok.json': { status: 200, body: JSON.stringify(snapshot) },
    '/empty.json': { status: 200, body: '  ' },
    '/broken.json': { status: 200, body: '{"schema": 1,' },
    '/error.json': { status: 503, body: 'busy' },
    '/huge.json': { status: 200, body: '{}', headers: { 'content-length': String(50 * 1024 * 1024) } },
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const answer = bodies[request.url ?? ''] ?? { status: 404, body: 'no' };
      if (answer.headers?.['content-length'] !== undefined) {
        // Headers announcing a huge body; the body never comes (the page must not wait for it).
        response.writeHead(answer.status, answer.headers);
        response.flushHeaders();
        setTimeout(() => response.destroy(), 200);
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    base = new URL(`http://127.0.0.1:${address.port}/`);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('explains every way a data object can fail to load', async () => {
    // Act
    const outcomes = await Promise.all(
      ['ok.json', 'missing.json', 'empty.json', 'broken.json', 'error.json', 'huge.json'].map((key) =>
        loadJson(key, base, checkRealtime).then(
          (value) => `ok ${value.totals.logs}`,
          (error: Error) => error.message,
        ),
      ),
    );

    // Assess
    expect(outcomes).toEqual([
      'ok 2',
      'missing.json is missing (HTTP 404): the dashboard publisher has not written it yet, or is not running.',
      'empty.json is empty',
      'broken.json is malformed: it is not valid JSON',
      'error.json could not be loaded: HTTP 503 Service Unavailable',
      'huge.json is too large (52428800 bytes)',
    ]);
  });

  it('resolves data keys inside the bucket whichever way the page URL is written', () => {
    // Act + Assess
    expect(new URL('data/realtime.json', pageBase({ href: 'http://127.0.0.1:4569/log-anomaly-dashboard/' })).href).toBe('http://127.0.0.1:4569/log-anomaly-dashboard/data/realtime.json');
    expect(new URL('data/realtime.json', pageBase({ href: 'http://127.0.0.1:4569/log-anomaly-dashboard' })).href).toBe('http://127.0.0.1:4569/log-anomaly-dashboard/data/realtime.json');
    expect(new URL('data/realtime.json', pageBase({ href: 'http://127.0.0.1:4569/log-anomaly-dashboard/index.html?x=1#experiments' })).href).toBe(
      'http://127.0.0.1:4569/log-anomaly-dashboard/data/realtime.json',
    );
    expect(new URL('data/realtime.json', pageBase({ href: 'http://dash.s3-website-us-east-1.amazonaws.com/' })).href).toBe('http://dash.s3-website-us-east-1.amazonaws.com/data/realtime.json');
  });
});

describe('parseLimit (the log table display limit)', () => {
  it('rounds and clamps to 50–500 and refuses what is not a number', () => {
    // Act + Assess
    expect(['50', '120', '500', '7', '5000', ' 149.6 ', '', 'abc', 'Infinity'].map(parseLimit)).toEqual([50, 120, 500, 50, 500, 150, null, null, null]);
  });
});
