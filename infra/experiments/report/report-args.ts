/** `npm run experiment:report -- [ids...] [--suite-id <id>] [--out <file>] [--json] [--embedded]`. */
import { resolve } from 'node:path';
import { splitArgs, type FlagSpec } from '../cli-flags.js';
import { ExperimentUsageError } from '../errors.js';
import { suiteIdPattern } from '../batch-args.js';

export interface ReportCommand {
  readonly help: boolean;
  readonly ids: readonly string[];
  readonly suiteId: string | null;
  /** Absolute path of the HTML file, or null for the default under .data/reports. */
  readonly out: string | null;
  readonly json: boolean;
  readonly embedded: boolean;
}

export const reportUsage = `Usage: npm run experiment:report -- [experiment ids...] [options]

Writes a self-contained HTML report (throughput with error bars across trials, latency
distributions, lag per partition over time, scaling curves) and prints the comparison table.
Without ids or --suite-id: the latest suite (or the 20 latest experiments).

Options:
  --suite-id <id>   every experiment of this suite
  --out <file>      where to write the HTML [.data/reports/experiments-<time>.html]
  --json            print the runs and the per-configuration figures as JSON
  --embedded        read the embedded services' database (.data/experiments) even if others are configured
  --help            this text`;

const flagSpecs: FlagSpec[] = [
  { name: '--suite-id', takesValue: true },
  { name: '--out', takesValue: true },
  ...['--json', '--embedded', '--help'].map((name) => ({ name, takesValue: false })),
];

const idPattern = /^[A-Za-z0-9._-]{1,200}$/;

export function parseReportArgs(argv: readonly string[], cwd = process.cwd()): ReportCommand {
  const { positionals, flags } = splitArgs(argv, flagSpecs);
  for (const id of positionals) {
    if (!idPattern.test(id)) throw new ExperimentUsageError(`${JSON.stringify(id.slice(0, 60))} is not an experiment id (1-200 of letters, digits, . _ -)`);
  }
  if (positionals.length > 500) throw new ExperimentUsageError('at most 500 experiment ids');
  const suiteId = flags.get('--suite-id') ?? null;
  if (suiteId !== null && !suiteIdPattern.test(suiteId)) throw new ExperimentUsageError('--suite-id must be 1-40 of letters, digits, "_" and "-"');
  if (suiteId !== null && positionals.length > 0) throw new ExperimentUsageError('give experiment ids or --suite-id, not both');
  const out = flags.get('--out');
  if (out !== undefined && !/\.html?$/i.test(out)) throw new ExperimentUsageError('--out must name an .html file');
  return {
    help: flags.has('--help'),
    ids: [...new Set(positionals)],
    suiteId,
    out: out === undefined ? null : resolve(cwd, out),
    json: flags.has('--json'),
    embedded: flags.has('--embedded'),
  };
}
