import { execFile } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalMskProcess, waitForExit, type ReadyBroker } from '../../../helpers/cli-process.js';

const password = 'kcat-pa55-never-logged';
const topic = 'kcat-sasl-topic';

interface KcatRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs Debian's kcat (librdkafka) and resolves with its exit code and output, never rejecting:
 * unlike tests/helpers/kcat.ts it never puts its arguments (which hold the password) in a message.
 */
function runKcat(args: string[]): Promise<KcatRun> {
  return new Promise((resolve) => {
    const child = execFile('kcat', args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ code, stdout, stderr });
    });
    child.stdin!.end();
  });
}

/**
 * librdkafka (Debian's kcat, librdkafka 2.0.2) against a real local MSK process started with
 * `--auth required`: without SASL settings it gets no metadata, with SASL_PLAINTEXT and
 * SCRAM-SHA-512 it lists the cluster. (SASL_PLAINTEXT because the local MSK has no TLS; on MSK the
 * SCRAM listener is SASL_SSL on port 9096.)
 */
describe('kcat against a local MSK with --auth required', () => {
  let broker: ReadyBroker;
  const metadata = (...extra: string[]) => runKcat(['-b', broker.bootstrap, '-L', '-J', '-m', '3', ...extra]);
  const scram = (secret: string) => ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', 'sasl.mechanisms=SCRAM-SHA-512', '-X', 'sasl.username=app', '-X', `sasl.password=${secret}`];

  beforeAll(async () => {
    broker = await startLocalMskProcess(['--port', '0', '--no-control-plane', '--auth', 'required', '--advertised-host', '127.0.0.1'], {
      LOCAL_MSK_SASL_USERS: `app:${password}`,
      LOCAL_MSK_LOG_LEVEL: 'info',
    });
    const admin = new Kafka({
      clientId: 'kcat-sasl-setup',
      brokers: [broker.bootstrap],
      logLevel: logLevel.NOTHING,
      sasl: { mechanism: 'scram-sha-512', username: 'app', password },
    }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] }).finally(() => admin.disconnect());
  });

  afterAll(async () => {
    broker?.child.kill('SIGTERM');
    if (broker) await waitForExit(broker.child);
  });

  it('refuses kcat without SASL settings: non-zero exit and no metadata', async () => {
    // Act
    const run = await metadata();

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Failed to acquire metadata');
    expect(broker.stderr()).toContain('request refused before SASL authentication');
  });

  it('serves kcat with SASL_PLAINTEXT and SCRAM-SHA-512: it lists the broker and the topic', async () => {
    // Act
    const run = await metadata(...scram(password));

    // Assess
    expect(run.code).toBe(0);
    const listed = JSON.parse(run.stdout) as { brokers: Array<{ name: string }>; topics: Array<{ topic: string; partitions: unknown[] }> };
    expect(listed.brokers.map((each) => each.name)).toEqual([broker.bootstrap]);
    expect(listed.topics.find((each) => each.topic === topic)?.partitions).toHaveLength(2);
    expect(run.stderr).not.toContain(password);
  });

  it('refuses kcat with a wrong SCRAM password: non-zero exit and no metadata', async () => {
    // Act
    const run = await metadata(...scram('not-the-password'));

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('invalid credentials');
  });

  it('never logs the password', () => {
    // Assess
    expect(broker.stderr()).toContain('client authenticated');
    expect(broker.stderr()).not.toContain(password);
  });
});
