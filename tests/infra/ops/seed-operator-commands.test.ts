import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../infra/deploy/osls.js';
import { startLocalServices, type LocalServices } from '../../../infra/local-services/index.js';
import { stackPidsFile, writeStackPids } from '../../../infra/local-stack/stack-pids.js';
import { allEmbeddedLogs } from '../../../infra/ops/logs.js';
import { commitGroupOffsets } from '../../helpers/commit-offsets.js';
import { freePort } from '../../helpers/free-port.js';
import { operator } from '../../helpers/operator-process.js';
import { waitFor } from '../../helpers/wait-for.js';

/** What a one-line error looks like: the command's name, one line, nothing after. */
const oneLineError = (name: string) => new RegExp(`^${name}: [^\\n]+\\n$`);

/**
 * The operator commands the seed's users expect (`docker-compose exec postgres psql`, `kafka-topics`
 * / `kafka-consumer-groups --describe`, `docker stats`, `docker-compose logs -f`) against the
 * embedded services `npm start` runs, in a directory of the test's own.
 */
describe('seed operator commands on the embedded stack', () => {
  let root: string;
  let dataDir: string;
  let services: LocalServices;
  let envFile: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'seed-ops-'));
    await chmod(root, 0o755); // as root, PostgreSQL runs as the postgres user, who must enter it
    dataDir = join(root, '.data');
    envFile = join(root, '.env');
    services = await startLocalServices({ kafkaPort: 0, controlPlanePort: 0, postgresPort: 0, s3Port: 0, dataDir, envFile, logLevel: 'silent' });
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    await services?.stop();
    await rm(root, { recursive: true, force: true });
  });

  describe('psql', () => {
    it("runs the seed's query unchanged on the stack's database, from .env, and shows no password", async () => {
      // Prepare: one experiment row, through another client
      const client = new pg.Client({ connectionString: services.postgres.url });
      await client.connect();
      await client.query(`INSERT INTO experiments (id, name, producers, consumers, partitions) VALUES ('exp-psql', 'psql', 1, 1, 3)`).finally(() => client.end());

      // Act: arguments after the command's own flags go to psql unchanged
      const logs = await operator('psql', ['--env-path', envFile, '-X', '-A', '-t', '-c', 'SELECT COUNT(*) FROM logs;']);
      const experiments = await operator('psql', ['--env-path', envFile, '--', '-X', '-A', '-t', '-c', "SELECT name FROM experiments WHERE id = 'exp-psql'"]);

      // Assess
      expect(logs.code, logs.stderr).toBe(0);
      expect(logs.stdout).toBe('0\n');
      expect(experiments.code, experiments.stderr).toBe(0);
      expect(experiments.stdout).toBe('psql\n');
      expect(logs.stdout + logs.stderr + experiments.stderr).not.toContain(':postgres@');
    }, 60_000);

    it('passes psql its exit code, and says in one line when nothing answers or a flag is wrong', async () => {
      // Prepare: a port nothing listens on, with a password that must not be shown
      const port = await freePort();

      // Act
      const failingSql = await operator('psql', ['--env-path', envFile, '-X', '-v', 'ON_ERROR_STOP=1', '-c', 'SELECT * FROM no_such_table']);
      const nobody = await operator('psql', ['--no-env', '-c', 'SELECT 1'], { DATABASE_URL: `postgres://postgres:hunter2-secret@127.0.0.1:${port}/log_anomaly` });
      const badFlag = await operator('psql', ['--env-path']);
      const help = await operator('psql', ['--help']);

      // Assess
      expect(failingSql.code).toBe(1);
      expect(failingSql.stderr).toContain('relation "no_such_table" does not exist');
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toMatch(oneLineError('psql'));
      expect(nobody.stderr).toContain(`cannot reach PostgreSQL at postgres://postgres@127.0.0.1:${port}/log_anomaly`);
      expect(nobody.stderr).toContain('is `npm start` running?');
      expect(nobody.stderr).not.toContain('hunter2-secret');
      expect(badFlag.code).toBe(2);
      expect(badFlag.stderr).toMatch(oneLineError('psql'));
      expect(badFlag.stderr).toContain('--env-path needs a value');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('docker-compose exec postgres psql');
    }, 60_000);
  });

  describe('topics', () => {
    it('lists every topic with earliest/latest offsets per partition, and each group’s committed offset and lag', async () => {
      // Prepare: 5 records on logs-0, 2 on logs-1; a group that committed 3 on logs-0 and nothing on logs-1
      const kafka = new Kafka({ clientId: 'seed-ops-test', brokers: [services.kafka.bootstrap], logLevel: logLevel.NOTHING });
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'logs', messages: [0, 1, 2, 3, 4].map((i) => ({ partition: 0, value: `r${i}` })) });
      await producer.send({ topic: 'logs', messages: [0, 1].map((i) => ({ partition: 1, value: `s${i}` })) });
      await producer.disconnect();
      await commitGroupOffsets(kafka, 'seed-ops-group', 'logs', [{ partition: 0, offset: 3 }]);

      // Act
      const json = await operator('topics', ['--env-path', envFile, '--json']);
      const text = await operator('topics', ['--env-path', envFile]);

      // Assess
      expect(json.code, json.stderr).toBe(0);
      const report = JSON.parse(json.stdout) as {
        brokers: string[];
        topics: Array<{ topic: string; partitions: Array<{ partition: number; leader: number; earliestOffset: number; latestOffset: number }> }>;
        groups: Array<{ groupId: string; topic: string; partition: number; committedOffset: number | null; latestOffset: number; lag: number }>;
      };
      expect(report.brokers).toEqual([services.kafka.bootstrap]);
      expect(report.topics.map((topic) => topic.topic)).toEqual(expect.arrayContaining(['logs', 'metrics']));
      const logs = report.topics.find((topic) => topic.topic === 'logs')!;
      expect(logs.partitions.slice(0, 2)).toEqual([
        { partition: 0, leader: expect.any(Number), earliestOffset: 0, latestOffset: 5 },
        { partition: 1, leader: expect.any(Number), earliestOffset: 0, latestOffset: 2 },
      ]);
      const group = report.groups.filter((row) => row.groupId === 'seed-ops-group');
      expect(group.slice(0, 2)).toEqual([
        { groupId: 'seed-ops-group', topic: 'logs', partition: 0, committedOffset: 3, latestOffset: 5, lag: 2 },
        { groupId: 'seed-ops-group', topic: 'logs', partition: 1, committedOffset: null, latestOffset: 2, lag: 2 },
      ]);
      expect(group.every((row) => row.topic === 'logs')).toBe(true); // not shown on topics it does not consume
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(/^TOPIC +PARTITION +LEADER +EARLIEST +LATEST +RECORDS$/m);
      expect(text.stdout).toMatch(/^logs +0 +\d+ +0 +5 +5$/m);
      expect(text.stdout).toMatch(/^seed-ops-group +logs +0 +3 +5 +2$/m);
      expect(text.stdout).toMatch(/^seed-ops-group +logs +1 +- +2 +2$/m);
    }, 60_000);

    it('says in one line when no broker answers, and refuses an unknown flag with exit 2', async () => {
      // Prepare
      const port = await freePort();

      // Act
      const [nobody, badFlag] = await Promise.all([operator('topics', ['--no-env'], { KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${port}` }), operator('topics', ['--lag'])]);

      // Assess
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toMatch(oneLineError('topics'));
      expect(nobody.stderr).toContain(`no answer from Kafka at 127.0.0.1:${port}`);
      expect(badFlag.code).toBe(2);
      expect(badFlag.stderr).toMatch(oneLineError('topics'));
      expect(badFlag.stderr).toContain('unknown option "--lag"');
    }, 60_000);
  });

  describe('stats', () => {
    it('finds the services and PostgreSQL from the data directory and reports their CPU and memory', async () => {
      // Prepare: no stack pid file: the services are PostgreSQL's parent (here, this test process)

      // Act
      const run = await operator('stats', ['--once', '--json', '--interval', '1s', '--data-dir', dataDir]);

      // Assess
      expect(run.code, run.stderr).toBe(0);
      const reading = JSON.parse(run.stdout) as { components: Array<{ component: string; pid: number; pids: number; cpuPercent: number; rssBytes: number }> };
      expect(reading.components.map((one) => one.component)).toEqual(['services', 'postgres']);
      const [own, postgres] = reading.components;
      expect(own!.pid).toBe(process.pid);
      expect(postgres!.pids).toBeGreaterThanOrEqual(2); // the postmaster and its background processes
      expect(postgres!.rssBytes).toBeGreaterThan(1024 * 1024);
      expect(own!.rssBytes).toBeGreaterThan(10 * 1024 * 1024);
    }, 60_000);

    it("adds the functions' process tree and the launcher from npm start's pid file, measuring a busy tree's CPU", async () => {
      // Prepare: a "functions runtime" whose child spins, recorded the way npm start records its processes
      const busy = spawn(process.execPath, ['-e', `require('node:child_process').spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'inherit' }); setInterval(() => {}, 1000)`], { stdio: 'ignore', detached: true });
      children.push(busy);
      await waitFor('the busy child', async () => (await import('node:fs')).readFileSync(`/proc/${busy.pid}/task/${busy.pid}/children`, 'utf8').trim() !== '', 10_000, 50);
      await writeStackPids(dataDir, { launcher: process.pid, functions: busy.pid! });

      try {
        // Act
        const json = await operator('stats', ['--once', '--json', '--interval', '1500ms', '--data-dir', dataDir]);
        const table = await operator('stats', ['--once', '--interval', '0.5', '--data-dir', dataDir]);

        // Assess
        expect(json.code, json.stderr).toBe(0);
        const components = (JSON.parse(json.stdout) as { components: Array<{ component: string; pid: number; pids: number; cpuPercent: number }> }).components;
        expect(components.map((one) => one.component)).toEqual(['services', 'postgres', 'functions', 'launcher']);
        const functions = components.find((one) => one.component === 'functions')!;
        expect(functions).toMatchObject({ pid: busy.pid, pids: 2 });
        expect(functions.cpuPercent).toBeGreaterThan(20); // one spinning process (the machine may be busy)
        expect(components.find((one) => one.component === 'launcher')).toMatchObject({ pid: process.pid, pids: 1 });
        expect(table.code, table.stderr).toBe(0);
        expect(table.stdout).toMatch(/^COMPONENT +PID +PIDS +CPU % +MEM +WHAT$/m);
        expect(table.stdout).toMatch(new RegExp(`^functions +${busy.pid} +2 +\\d+\\.\\d% +\\d+\\.\\d MiB +serverless offline`, 'm'));
        expect(table.stdout).toMatch(/^total +\d+ +\d+\.\d% +\d+\.\d MiB$/m);
      } finally {
        process.kill(-busy.pid!, 'SIGKILL'); // its group: the spinning grandchild too
        await rm(stackPidsFile(dataDir), { force: true });
      }
    }, 60_000);

    it('refreshes: one reading per interval until stopped', async () => {
      // Prepare
      const child = spawn(process.execPath, ['--import', 'tsx', 'infra/ops/stats.ts', '--json', '--interval', '300ms', '--data-dir', dataDir], { cwd: repoRoot });
      children.push(child);
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));

      // Act
      await waitFor('three readings', () => stdout.split('\n').filter(Boolean).length >= 3, 30_000, 50);
      child.kill('SIGTERM');

      // Assess
      const readings = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { time: string; intervalSeconds: number; components: Array<{ component: string }> });
      for (const reading of readings) {
        expect(reading.components.map((one) => one.component)).toEqual(['services', 'postgres']);
        expect(reading.intervalSeconds).toBeGreaterThanOrEqual(0.29);
      }
      expect(new Set(readings.map((reading) => reading.time)).size).toBe(readings.length);
    }, 60_000);

    it('ignores a pid file whose processes are gone or whose pids were reused, and says when no stack runs', async () => {
      // Prepare: the launcher recorded with another start time (its pid since reused), in an empty data directory too
      const empty = join(root, 'empty-data');
      await mkdir(empty, { recursive: true });
      await writeFile(stackPidsFile(dataDir), JSON.stringify({ launcher: { pid: process.pid, startTicks: 1 }, functions: { pid: 999_999_999, startTicks: 1 } }));

      try {
        // Act
        const stale = await operator('stats', ['--once', '--json', '--interval', '200ms', '--data-dir', dataDir]);
        const none = await operator('stats', ['--once', '--data-dir', empty]);
        const badInterval = await operator('stats', ['--interval', '5 parsecs']);

        // Assess
        expect(stale.code, stale.stderr).toBe(0);
        expect((JSON.parse(stale.stdout) as { components: Array<{ component: string }> }).components.map((one) => one.component)).toEqual(['services', 'postgres']);
        expect(none.code).toBe(1);
        expect(none.stderr).toMatch(oneLineError('stats'));
        expect(none.stderr).toContain('no running stack found');
        expect(badInterval.code).toBe(2);
        expect(badInterval.stderr).toMatch(oneLineError('stats'));
        expect(badInterval.stderr).toContain('is not a duration');
      } finally {
        await rm(stackPidsFile(dataDir), { force: true });
      }
    }, 60_000);
  });
});

describe('logs --all', () => {
  it('prints the last lines of every component, prefixed, then follows all of them and logs that appear later', async () => {
    // Prepare
    const dataDir = await mkdtemp(join(tmpdir(), 'logs-all-'));
    await mkdir(join(dataDir, 'logs'));
    await writeFile(join(dataDir, 'logs', 'services.log'), 's1\ns2\ns3\n');
    await writeFile(join(dataDir, 'logs', 'functions.log'), 'f1\nf2\n');
    const out: string[] = [];
    const stop = new AbortController();

    try {
      // Act: follow; then both logs grow (one line in two writes) and a new component starts logging
      const following = allEmbeddedLogs(dataDir, 2, true, { write: (text) => out.push(text), signal: stop.signal, pollMs: 20 });
      await waitFor('the tails', async () => out.join('').includes('s3'), 5_000, 20);
      await appendFile(join(dataDir, 'logs', 'functions.log'), 'f3 part');
      await appendFile(join(dataDir, 'logs', 'services.log'), 's4\n');
      await waitFor('s4', async () => out.join('').includes('s4'), 5_000, 20);
      await appendFile(join(dataDir, 'logs', 'functions.log'), ' and the rest\n');
      await writeFile(join(dataDir, 'logs', 'mapping.log'), 'm1\n');
      await waitFor('m1 and f3', async () => out.join('').includes('m1') && out.join('').includes('f3'), 5_000, 20);
      stop.abort();
      await following;

      // Assess
      const lines = out.join('').split('\n').filter(Boolean);
      expect(lines.slice(0, 4)).toEqual(['functions | f1', 'functions | f2', 'services  | s2', 'services  | s3']);
      expect(lines.slice(4)).toEqual(expect.arrayContaining(['services  | s4', 'functions | f3 part and the rest', 'mapping   | m1']));
      expect(lines).toHaveLength(7);
    } finally {
      stop.abort();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('accepts -f for --follow, refuses a component with --all and --all on a function stack (exit 2, one line)', async () => {
    // Prepare, Act
    const [withComponent, onAws, help] = await Promise.all([operator('logs', ['--all', 'kafka']), operator('logs', ['--all', '-f', '--stack', 'aws']), operator('logs', ['--help'])]);

    // Assess
    expect([withComponent.code, onAws.code, help.code]).toEqual([2, 2, 0]);
    expect(withComponent.stderr).toMatch(oneLineError('logs'));
    expect(withComponent.stderr).toContain('--all takes no component');
    expect(onAws.stderr).toMatch(oneLineError('logs'));
    expect(onAws.stderr).toContain('--all works with --stack embedded or compose');
    expect(help.stdout).toContain('docker-compose logs -f');
  });
});
