/** `npm run experiment:report`: HTML report and terminal table of experiments; see report-args.ts. */
import '../../process/quiet-sdk-notice.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { repoRoot } from '../../local-services/options.js';
import { exitCodes, loadServicesModule, reportFailure } from '../cli-runtime.js';
import { groupRuns } from '../result-groups.js';
import { benchmarkTable, comparisonTable } from '../results-table.js';
import type { ExperimentServices } from '../services.js';
import { loadReportData } from './report-data.js';
import { renderReport } from './report-html.js';
import { parseReportArgs, reportUsage } from './report-args.js';

async function main(argv: readonly string[]): Promise<number> {
  let services: ExperimentServices | null = null;
  try {
    const command = parseReportArgs(argv);
    if (command.help) {
      process.stdout.write(`${reportUsage}\n`);
      return exitCodes.ok;
    }
    services = await (await loadServicesModule()).resolveServices({ embedded: command.embedded, note: (line) => process.stderr.write(`${line}\n`) });
    const data = await loadReportData(services.pool, { ids: command.ids, suiteId: command.suiteId });
    const now = new Date();
    const out = command.out ?? join(repoRoot, '.data', 'reports', `experiments-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '')}.html`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, renderReport(data, now), 'utf8');
    const groups = groupRuns(data.runs);
    if (command.json) {
      const configurations = groups.map(({ runs, summaries, ...rest }) => ({ ...rest, experimentIds: runs.map((run) => run.id) }));
      process.stdout.write(`${JSON.stringify({ scope: data.scope, report: out, runs: data.runs, configurations })}\n`);
    } else {
      process.stdout.write(`${data.scope}: ${data.runs.length} runs\n\n${comparisonTable(groups)}\n\n${benchmarkTable(groups)}\n\nreport: ${out}\n`);
    }
    return exitCodes.ok;
  } catch (error) {
    return reportFailure(error, reportUsage, (text) => process.stderr.write(text));
  } finally {
    await services?.close().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
setTimeout(() => process.exit(), 2_000).unref();
