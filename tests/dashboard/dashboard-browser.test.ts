import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardPublication, REALTIME_KEY, type RealtimeSnapshot } from '../../functions/dashboard-publisher/index.js';
import { buildDashboard, type BuiltDashboard } from '../../infra/dashboard/build-dashboard.js';
import { deployDashboard } from '../../infra/dashboard/deploy-dashboard.js';
import { resolveModelPolicy } from '../../functions/shared/model/model-policy.js';
import { SMALL_POLICY } from '../functions/detector/detector-kit.js';
import { kafkaClient, startTestBroker, type TestBroker } from '../helpers/broker.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';
import { startTestS3, type TestS3 } from '../helpers/s3.js';
import { launchChromium } from './browser.js';
import { hostileHost, hostileMessage, produceShortRun, shortRunExperiments } from './short-run.js';

const BUCKET = 'dashboard';
const BROKEN_BUCKET = 'dashboard-broken';
/** Serves a snapshot whose anomalies carry the full feature set's explanation. */
const FULL_SET_BUCKET = 'dashboard-full-set';
/** The same run, published as for a detector whose training window (1,000) is larger than the run's model. */
const PROVISIONAL_BUCKET = 'dashboard-provisional';
/** The short run's detector windows (SMALL_POLICY: 200 and 200): its model is full. */
const { trainingWindow: runWindow, firstTrainingWindow: runFirstWindow } = resolveModelPolicy(SMALL_POLICY);
/** UPDATE_SCREENSHOTS=1 writes docs/screenshots/*.png; otherwise they go to a temp directory. */
const screenshotDir = process.env.UPDATE_SCREENSHOTS === '1' ? join(process.cwd(), 'docs', 'screenshots') : null;

let db: TestDatabase;
let s3: TestS3;
let broker: TestBroker;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let built: BuiltDashboard;
let url: string;
let brokenUrl: string;
let fullSetUrl: string;
let provisionalUrl: string;
let scratch: string;

beforeAll(async () => {
  [db, s3, broker] = await Promise.all([createTestDatabase(), startTestS3(['models', BUCKET, BROKEN_BUCKET, FULL_SET_BUCKET, PROVISIONAL_BUCKET]), startTestBroker()]);
  scratch = await mkdtemp(join(tmpdir(), 'dashboard-browser-'));
  await produceShortRun({ kafka: kafkaClient(broker), pool: db.pool, s3: s3.client, bootstrap: broker.bootstrap });
  await createDashboardPublication({ db: db.pool, s3: s3.client, bucket: BUCKET, training: { trainingWindow: runWindow, firstTrainingWindow: runFirstWindow } }).publish();
  await createDashboardPublication({ db: db.pool, s3: s3.client, bucket: PROVISIONAL_BUCKET, training: { trainingWindow: 1000, firstTrainingWindow: 200 } }).publish();
  built = await buildDashboard({ outDir: join(scratch, 'dist') });
  url = (await deployDashboard({ s3: s3.client, bucket: BUCKET, built })).url;
  brokenUrl = (await deployDashboard({ s3: s3.client, bucket: BROKEN_BUCKET, built })).url;
  fullSetUrl = (await deployDashboard({ s3: s3.client, bucket: FULL_SET_BUCKET, built })).url;
  provisionalUrl = (await deployDashboard({ s3: s3.client, bucket: PROVISIONAL_BUCKET, built })).url;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  page = await context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([db?.drop(), s3?.stop(), broker?.close()]);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function snapshot(bucket = BUCKET): Promise<RealtimeSnapshot> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: REALTIME_KEY }));
  return JSON.parse(await object.Body!.transformToString()) as RealtimeSnapshot;
}

async function screenshot(target: Page, name: string): Promise<void> {
  const path = join(screenshotDir ?? scratch, name);
  const png = await target.screenshot({ path, fullPage: true });
  expect(png.subarray(1, 4).toString()).toBe('PNG');
}

async function putRaw(bucket: string, key: string, body: string): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }));
}

describe('the dashboard in a real browser, served from the S3 emulator', () => {
  it('shows the run in the real-time view: totals, level donut, service bars, timeline, anomaly cards and the log table', async () => {
    // Prepare
    const published = await snapshot();
    const stored = await db.pool.query<{ logs: number; anomalies: number }>('SELECT (SELECT count(*)::int FROM logs) AS logs, (SELECT count(*)::int FROM anomalies) AS anomalies');

    // Act
    await page.goto(url);
    await page.locator('[data-stat="logs"]').filter({ hasText: /\d/ }).waitFor();

    // Assess
    expect(url).toMatch(new RegExp(`/${BUCKET}/$`));
    expect(stored.rows[0]!.logs).toBe(400 + 2 * 250 + 2);
    expect(stored.rows[0]!.anomalies).toBeGreaterThan(0);
    expect(await page.locator('[data-stat="logs"]').textContent()).toBe(published.totals.logs.toLocaleString('en-US'));
    expect(published.totals.logs).toBe(stored.rows[0]!.logs);
    expect(await page.locator('[data-stat="anomalies"]').textContent()).toBe(String(stored.rows[0]!.anomalies));
    expect(await page.locator('[data-stat="rate"]').textContent()).toBe(`${((stored.rows[0]!.anomalies / stored.rows[0]!.logs) * 100).toFixed(2)}%`);
    expect(Number(await page.locator('[data-stat="services"]').textContent())).toBe(published.totals.activeServices);
    await expect.poll(() => page.locator('.levels-panel canvas').count()).toBe(1);
    expect(await page.locator('.levels-panel .legend li').count()).toBe(published.levels.length);
    expect(await page.locator('.services-panel canvas').getAttribute('width')).not.toBe('0');
    expect(await page.locator('.services-panel .chart').getAttribute('aria-label')).toContain('checkout-web');
    expect(await page.locator('.timeline-panel .uplot canvas').count()).toBe(1);
    expect(await page.locator('.anomaly-card').count()).toBe(Math.min(12, published.recentAnomalies.length));
    expect(await page.locator('.logs-panel tbody tr').count()).toBe(100);
    expect(await page.locator('.logs-panel tbody tr.anomalous').count()).toBe(published.recentLogs.slice(0, 100).filter((log) => log.anomalous).length);
    expect(await page.locator('.notice-error').count()).toBe(0);
    // The run's model has its detector's full training window: no provisional badge
    expect(published.model).toMatchObject({ trainingRows: runWindow, provisional: false });
    expect(await page.locator('[data-stat="model"]').textContent()).toBe(published.model!.version);
    expect(await page.locator('[data-badge="model"]').isHidden()).toBe(true);
  });

  it('badges a provisional model with its records of the training window, and before any model says when the first comes', async () => {
    // Prepare: the run published for a detector with the default windows (1,000 and 200)
    const published = await snapshot(PROVISIONAL_BUCKET);
    const target = await context.newPage();
    const badge = target.locator('[data-badge="model"]');
    const note = target.locator('.stat-model .stat-note');

    // Act
    await target.goto(provisionalUrl);
    await target.locator('[data-stat="logs"]').filter({ hasText: /\d/ }).waitFor();
    const provisionalBadge = await badge.textContent();
    const badgeShown = await badge.isVisible();
    // … and a snapshot from before the first model: 37 of the 200 records stored
    await putRaw(PROVISIONAL_BUCKET, REALTIME_KEY, JSON.stringify({ ...published, model: null, training: { ...published.training, storedTowardFirst: 37 } }));
    await target.reload();
    await expect.poll(() => target.locator('[data-stat="model"]').textContent()).toBe('training…');

    // Assess
    expect(published.model).toMatchObject({ trainingRows: runWindow, provisional: true });
    expect(published.training).toEqual({ trainingWindow: 1000, firstTrainingWindow: 200, storedTowardFirst: null });
    expect(badgeShown).toBe(true);
    expect(provisionalBadge).toBe(`provisional model (${runWindow} of 1,000 records)`);
    expect(await note.textContent()).toBe('first model after 200 stored (37/200)');
    expect(await badge.isHidden()).toBe(true);
    await target.close();
  });

  it('opens an anomaly card to show score, threshold, model version and the features that drove it', async () => {
    // Prepare
    const first = (await snapshot()).recentAnomalies[0]!;
    const card = page.locator('.anomaly-card').first();

    // Act
    await card.locator('summary').click();

    // Assess
    await expect.poll(() => card.evaluate((node) => (node as unknown as { open: boolean }).open)).toBe(true);
    const facts = await card.locator('.facts').textContent();
    expect(facts).toContain(first.modelVersion);
    expect(facts).toContain('threshold');
    expect(await card.locator('.contributions tbody tr').count()).toBe(first.contributions.length);
    expect(await card.locator('.contributions tbody tr').first().locator('td').first().textContent()).toBe(first.contributions[0]!.feature);
    await screenshot(page, 'realtime.png');
  });

  it("shows the full feature set's explanation: template id, each contributing feature with its value and share", async () => {
    // Prepare: the published snapshot, its first anomaly explained as the detector stores it for the full set
    const published = await snapshot();
    const explained = {
      ...published.recentAnomalies[0]!,
      features: { template_burst: 4.25, alert_surprise: 1.5, template_rarity: 0, hour_rarity: 0, template_id: 17 },
      contributions: [
        { feature: 'template_burst', contribution: 0.62 },
        { feature: 'alert_surprise', contribution: 0.3 },
        { feature: 'service_rarity', contribution: 0.08 },
      ],
    };
    await putRaw(FULL_SET_BUCKET, REALTIME_KEY, JSON.stringify({ ...published, recentAnomalies: [explained, ...published.recentAnomalies.slice(1)] }));
    const target = await context.newPage();

    // Act
    await target.goto(fullSetUrl);
    const card = target.locator(`.anomaly-card[data-log-id="${explained.logId}"]`);
    await card.locator('summary').click();

    // Assess
    expect(await card.locator('.facts').textContent()).toContain('Template#17');
    const rows = card.locator('.contributions tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).locator('td').allTextContents()).toEqual(['template_burst', '4.25', expect.stringContaining('62%')]);
    expect(await rows.nth(1).locator('td').allTextContents()).toEqual(['alert_surprise', '1.5', expect.stringContaining('30%')]);
    expect(await rows.nth(2).locator('td').nth(1).textContent()).toBe('–');
    await target.close();
  });

  it('changes the log table display limit within 50–500', async () => {
    // Prepare
    const available = (await snapshot()).recentLogs.length;
    const limit = page.locator('#log-limit');
    const rows = page.locator('.logs-panel tbody tr');

    // Act + Assess: 50, then 500 (all the snapshot holds, up to 500), then out-of-range values clamp
    await limit.fill('50');
    await limit.dispatchEvent('change');
    expect(await rows.count()).toBe(50);
    await limit.fill('500');
    await limit.dispatchEvent('change');
    expect(await rows.count()).toBe(Math.min(500, available));
    await limit.fill('5000');
    await limit.dispatchEvent('change');
    expect(await limit.inputValue()).toBe('500');
    expect(await page.locator('#log-limit-note').textContent()).toBe('limited to 50–500');
    await limit.fill('7');
    await limit.dispatchEvent('change');
    expect(await limit.inputValue()).toBe('50');
    expect(await rows.count()).toBe(50);
  });

  it("moves the log table's display limit with the seed's slider, kept in step with the number field", async () => {
    // Prepare
    const available = (await snapshot()).recentLogs.length;
    const slider = page.locator('#log-limit-slider');
    const rows = page.locator('.logs-panel tbody tr');
    expect(await slider.getAttribute('type')).toBe('range');

    // Act: drag to 150 (the browser fires input events while dragging), then to the end
    await slider.fill('150');
    const at150 = await rows.count();
    const field150 = await page.locator('#log-limit').inputValue();
    await slider.fill('500');
    const at500 = await rows.count();

    // Assess
    expect(at150).toBe(Math.min(150, available));
    expect(field150).toBe('150');
    expect(at500).toBe(Math.min(500, available));
    expect(await page.locator('#log-limit').inputValue()).toBe('500');
  });

  it('shows <script> and <img onerror> log text as inert text, even with the page CSP bypassed', async () => {
    // Prepare: a context that ignores the page's Content-Security-Policy, so only the DOM handling protects it
    const unprotected = await browser.newContext({ bypassCSP: true, viewport: { width: 1440, height: 900 } });
    const target = await unprotected.newPage();

    // Act
    await target.goto(url);
    const limit = target.locator('#log-limit');
    await limit.fill('500');
    await limit.dispatchEvent('change');

    // Assess
    const messageCell = target.locator('.logs-panel td.message-cell', { hasText: 'checkout failed for' });
    expect(await messageCell.textContent()).toBe(hostileMessage);
    expect(await target.locator('.logs-panel td', { hasText: 'onerror' }).first().textContent()).toBe(hostileHost);
    expect(await target.locator('#views script, #views img, #views b').count()).toBe(0);
    expect(await target.evaluate(() => (globalThis as unknown as { __injected?: string }).__injected)).toBeUndefined();
    await unprotected.close();
  });

  it('switches to Experiment Analysis and compares the two experiments of the run', async () => {
    // Act
    await page.locator('[data-view="experiments"]').click();
    await page.locator('.config-table').waitFor();

    // Assess
    expect(page.url()).toMatch(/#experiments$/);
    expect(await page.locator('[data-view="realtime"]').getAttribute('aria-selected')).toBe('false');
    const checked = await page.locator('.experiment-list input:checked').evaluateAll((boxes) => boxes.map((box) => (box as unknown as { value: string }).value));
    expect(checked.sort()).toEqual(shortRunExperiments.map((e) => e.id).sort());
    const header = await page.locator('.config-table thead th').allTextContents();
    expect(header.slice(1).sort()).toEqual(shortRunExperiments.map((e) => e.name).sort());
    const configText = await page.locator('.config-table').textContent();
    expect(configText).toContain('Partitions');
    expect(configText).toContain('recordsPerProducer');
    expect(await page.locator('.throughput-panel .chart').getAttribute('aria-label')).toMatch(/baseline P1 C1: produced \(records\/s\) [\d,.]+\/s/);
    expect(await page.locator('.detection-panel .chart').getAttribute('aria-label')).toMatch(/precision \d+(\.\d)?%/);
    expect(await page.locator('.latency-panel .uplot').count()).toBe(1);
    expect(await page.locator('.lag-panel .uplot').count()).toBe(1);
    expect(await page.locator('.throughput-time-panel .uplot').count()).toBe(1);
    expect(await page.locator('.aggregates-table').textContent()).toContain('detector · e2e_latency_p95 (ms)');
    expect(await page.locator('.scaling-panel canvas').count()).toBe(3);
    await screenshot(page, 'experiments.png');
  });

  it('filters experiments by status and compares only what is picked', async () => {
    // Act: only failed (none), then back to all and unpick one
    await page.locator('#status-filter').selectOption('failed');
    const noneFailed = await page.locator('.picker-panel p.muted').textContent();
    await page.locator('#status-filter').selectOption('all');
    await page.locator(`[data-experiment="${shortRunExperiments[1]!.id}"]`).uncheck();

    // Assess
    expect(noneFailed).toBe('No experiments with this status.');
    await expect.poll(() => page.locator('.config-table thead th').count()).toBe(2);
    expect(await page.locator('.config-table thead th').nth(1).textContent()).toBe(shortRunExperiments[0]!.name);
  });

  it('refreshes every 10 s while auto-refresh is on, and not at all once it is off', async () => {
    // Prepare: the page's timers on a controlled clock
    const target = await context.newPage();
    await target.clock.install();
    const fetched: string[] = [];
    target.on('request', (request) => void (request.url().endsWith(REALTIME_KEY) && fetched.push(request.url())));
    await target.goto(url);
    await target.locator('[data-stat="logs"]').filter({ hasText: /\d/ }).waitFor();
    const afterLoad = fetched.length;

    // Act
    await target.clock.runFor(10_500);
    await expect.poll(() => fetched.length).toBe(afterLoad + 1);
    await target.locator('#auto-refresh').uncheck();
    await target.clock.runFor(60_000);
    const whileOff = fetched.length;

    // Assess
    expect(afterLoad).toBe(1);
    expect(whileOff).toBe(afterLoad + 1);
    await target.close();
  });

  it('says clearly when a data object is missing or malformed instead of showing a blank page', async () => {
    // Prepare
    const target = await context.newPage();

    // Act + Assess: nothing published yet
    await target.goto(brokenUrl);
    await expect.poll(() => target.locator('.notice-error').first().textContent()).toContain('data/realtime.json is missing (HTTP 404)');
    // not JSON
    await putRaw(BROKEN_BUCKET, REALTIME_KEY, '{"schema": 1, "kind": "realtime", "totals": ');
    await target.reload();
    await expect.poll(() => target.locator('.notice-error').first().textContent()).toBe('data/realtime.json is malformed: it is not valid JSON');
    // wrong shape
    const wrong = { ...(await snapshot()), totals: { logs: 'many' } };
    await putRaw(BROKEN_BUCKET, REALTIME_KEY, JSON.stringify(wrong));
    await target.reload();
    await expect.poll(() => target.locator('.notice-error').first().textContent()).toBe('data/realtime.json is malformed: totals.logs should be a number but is string');
    // experiments index missing
    await target.locator('[data-view="experiments"]').click();
    await expect.poll(() => target.locator('.notice-error:visible').first().textContent()).toContain('data/experiments/index.json is missing (HTTP 404)');
    expect(await target.locator('.experiments-layout').isHidden()).toBe(true);
    await s3.client.send(new DeleteObjectCommand({ Bucket: BROKEN_BUCKET, Key: REALTIME_KEY }));
    await target.close();
  });
});

