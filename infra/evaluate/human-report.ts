import type { ExplainedLine } from './explain.js';
import type { EvaluationResult } from './run-evaluation.js';
import { terminalSafe } from './terminal-text.js';

/** One evaluated data set as the report shows it. */
export interface ReportedDataSet {
  readonly input: string;
  /** The training file, in train-file mode. */
  readonly train?: string;
  readonly result: EvaluationResult;
}

const pct = (value: number): string => `${(100 * value).toFixed(1)} %`;
const fixed = (value: number): string => value.toFixed(3);
const compact = (value: number): string => (Number.isInteger(value) ? String(value) : Number(value.toPrecision(4)).toString());

/** Which lines trained the first model and which the metrics cover. */
function describeSplit({ train, result }: ReportedDataSet): string {
  const last = result.scoredFrom + result.n - 1;
  switch (result.mode) {
    case 'train-lines':
      return `trained on lines 1–${result.trainedOn}, scored lines ${result.scoredFrom}–${last}`;
    case 'train-file':
      return `trained on ${terminalSafe(train ?? 'a training file')} (${result.trainedOn} records), scored lines 1–${last}`;
    default:
      return `in-sample: lines 1–${result.warmup} were stored before the first model, which scored them too; scored lines 1–${last}`;
  }
}

/** A data set's metrics and, with --explain, its top flagged lines; terminal-safe text, ends with a newline. */
export function formatDataSet(reported: ReportedDataSet): string {
  const { input, result } = reported;
  const out = [
    `${terminalSafe(input)}: ${describeSplit(reported)}`,
    `  ${result.n} lines scored, ${result.anomalies} labelled anomalous; features ${result.featureSet}, threshold ${result.thresholdRule}, ${result.models} model${result.models === 1 ? '' : 's'}`,
    `  flagged ${result.flagged} (${pct(result.flaggedRate)}): precision ${fixed(result.precision)}, recall ${fixed(result.recall)}, F1 ${fixed(result.f1)}, PR-AUC ${fixed(result.prAuc)}`,
  ];
  if (result.recallByKind !== undefined) {
    out.push(`  recall by kind: ${Object.entries(result.recallByKind).map(([kind, recall]) => `${terminalSafe(kind)} ${fixed(recall)}`).join(', ')}`);
  }
  if (result.explain !== undefined) {
    out.push(
      result.explain.length === 0
        ? '  no line flagged, nothing to explain'
        : `  top ${result.explain.length} of ${result.flagged} flagged lines by score:`,
    );
    for (const line of result.explain) out.push(...formatExplained(line));
  }
  return `${out.join('\n')}\n`;
}

function formatExplained(line: ExplainedLine): string[] {
  const template = line.templateId === null ? '' : `  template ${line.templateId}${line.template === null ? '' : ` "${terminalSafe(line.template)}"`}`;
  const reasons = line.reasons.map((reason) => `${terminalSafe(reason.feature)} = ${compact(reason.value)} (+${fixed(reason.contribution)})`).join(', ');
  return [
    `    line ${line.line}  label ${terminalSafe(line.label)}  score ${fixed(line.score)} > ${fixed(line.threshold)}${template}`,
    `      why:  ${reasons === '' ? '(no feature contributions recorded)' : reasons}`,
    `      text: ${terminalSafe(line.text)}`,
  ];
}

/** One row per data set, for a run over several; terminal-safe, ends with a newline. */
export function formatSummaryTable(reported: readonly ReportedDataSet[]): string {
  const header = ['mode', 'trained', 'scored lines', 'anomalies', 'flagged', 'precision', 'recall', 'F1', 'PR-AUC', 'input'];
  const rows = reported.map(({ input, result }) => [
    result.mode,
    String(result.trainedOn),
    `${result.scoredFrom}–${result.scoredFrom + result.n - 1}`,
    String(result.anomalies),
    `${result.flagged} (${pct(result.flaggedRate)})`,
    fixed(result.precision),
    fixed(result.recall),
    fixed(result.f1),
    fixed(result.prAuc),
    terminalSafe(input),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const render = (cells: readonly string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  ');
  return `${[render(header), ...rows.map(render)].join('\n')}\n`;
}
