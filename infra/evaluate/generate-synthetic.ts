/**
 * `npm run evaluate:generate -- --out <log file> --labels <labels file> [--count 50000] [--anomaly-rate 0.05] [--seed 7] [--interval-ms 1000]`:
 * writes a labelled synthetic stream with the producer's own generator: one JSON record per line,
 * and per line its ground-truth label (`none` or the anomaly kind). Log time starts at 06:00 UTC
 * and advances `interval-ms` per record, so the stream crosses hours like a day of traffic.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, ValidationError } from '../../functions/shared/errors.js';
import { createLogGenerator } from '../../functions/producer/generator/index.js';

const USAGE = 'usage: npm run evaluate:generate -- --out <log file> --labels <labels file> [--count 50000] [--anomaly-rate 0.05] [--seed 7] [--interval-ms 1000]';

function number(text: string | undefined, fallback: number, flag: string, min: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new ConfigError(`${flag} must be a number from ${min} to ${max}, got ${JSON.stringify(text.slice(0, 40))}`);
  return value;
}

export async function generateSynthetic(argv: readonly string[]): Promise<{ records: number; anomalies: number }> {
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ args: [...argv], strict: true, options: { out: { type: 'string' }, labels: { type: 'string' }, count: { type: 'string' }, 'anomaly-rate': { type: 'string' }, seed: { type: 'string' }, 'interval-ms': { type: 'string' } } })
      .values as Record<string, string | undefined>;
  } catch (cause) {
    throw new ConfigError(`${(cause as Error).message}\n${USAGE}`, { cause });
  }
  if (values.out === undefined || values.labels === undefined) throw new ConfigError(`--out and --labels are required\n${USAGE}`);
  const count = number(values.count, 50_000, '--count', 1, 5_000_000);
  if (!Number.isInteger(count)) throw new ConfigError('--count must be a whole number');
  const generator = createLogGenerator({
    anomalyRate: number(values['anomaly-rate'], 0.05, '--anomaly-rate', 0, 1),
    seed: number(values.seed, 7, '--seed', 0, 2 ** 32 - 1),
    producerId: 'evaluate',
    startTime: Date.parse('2026-11-24T06:00:00.000Z'),
  });
  const interval = number(values['interval-ms'], 1000, '--interval-ms', 1, 3_600_000);
  const lines: string[] = [];
  const labels: string[] = [];
  let anomalies = 0;
  for (let i = 0; i < count; i++) {
    const log = generator.next(i * interval);
    lines.push(JSON.stringify(log.record));
    labels.push(log.label);
    if (log.label !== 'none') anomalies++;
  }
  await writeFile(values.out, `${lines.join('\n')}\n`);
  await writeFile(values.labels, `${labels.join('\n')}\n`);
  return { records: count, anomalies };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generateSynthetic(process.argv.slice(2)).then(
    (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
    (error: unknown) => {
      const expected = error instanceof ConfigError || error instanceof ValidationError;
      process.stderr.write(`evaluate:generate: ${expected ? (error as Error).message : String(error)}\n`);
      process.exitCode = expected ? 2 : 1;
    },
  );
}
