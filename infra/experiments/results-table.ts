/**
 * Plain-text tables for the terminal (and docs): the comparison table across configurations and
 * the seed's benchmark table (configuration, throughput, average latency, max lag). Values are
 * means across completed trials; "±" is the sample standard deviation when there are several.
 * "—" marks a figure that was not measured (no completed trial, or nothing to measure).
 */
import type { ConfigGroup, Stat } from './result-groups.js';

export function formatNumber(value: number, digits: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cell(value: Stat | null, digits: number, withSpread = true): string {
  if (value === null) return '—';
  const mean = formatNumber(value.mean, digits);
  return withSpread && value.n > 1 ? `${mean} ±${formatNumber(value.sd, digits)}` : mean;
}

/** "4P/2C/6p" */
export function configLabel(group: Pick<ConfigGroup, 'producers' | 'consumers' | 'partitions'>): string {
  return `${group.producers}P/${group.consumers}C/${group.partitions}p`;
}

function trials(group: ConfigGroup): string {
  const done = group.summaries.length;
  return group.failed > 0 ? `${done} (+${group.failed} failed)` : String(done);
}

export function renderTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, rightAligned: ReadonlySet<number>): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) =>
    `| ${row.map((value, column) => (rightAligned.has(column) ? value.padStart(widths[column]!) : value.padEnd(widths[column]!))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (rightAligned.has(column) ? `${'-'.repeat(Math.max(width - 1, 1))}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

export interface TableData {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Columns to right-align (numbers). */
  readonly right: ReadonlySet<number>;
}

/** The comparison table: one row per configuration. Markdown-compatible. */
export function comparisonTable(groups: readonly ConfigGroup[]): string {
  const { header, rows, right } = comparisonData(groups);
  return renderTable(header, rows, right);
}

export function comparisonData(groups: readonly ConfigGroup[]): TableData {
  const header = ['experiment', 'config', 'rate/P', 'trials', 'produced/s', 'consumed/s', 'e2e p50 ms', 'e2e p95 ms', 'e2e p99 ms', 'max lag', 'idle pollers', 'precision', 'recall', 'F1'];
  const rows = groups.map((g) => [
    g.name,
    configLabel(g),
    formatNumber(g.ratePerProducer, g.ratePerProducer % 1 === 0 ? 0 : 1),
    trials(g),
    cell(g.figures.producerThroughput, 1),
    cell(g.figures.consumerThroughput, 1),
    cell(g.figures.e2eP50, 0),
    cell(g.figures.e2eP95, 0),
    cell(g.figures.e2eP99, 0),
    cell(g.figures.maxLag, 0),
    String(g.idlePollers),
    cell(g.figures.precision, 2, false),
    cell(g.figures.recall, 2, false),
    cell(g.figures.f1, 2, false),
  ]);
  return { header, rows, right: new Set([2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) };
}

/** The seed's benchmark table: configuration, throughput (consumed records/s), average latency, max lag. */
export function benchmarkTable(groups: readonly ConfigGroup[]): string {
  const { header, rows, right } = benchmarkData(groups);
  return renderTable(header, rows, right);
}

export function benchmarkData(groups: readonly ConfigGroup[]): TableData {
  const header = ['configuration', 'throughput (records/s)', 'avg latency (ms)', 'max lag (records)'];
  const rows = groups.map((g) => [`${g.name} ${configLabel(g)}`, cell(g.figures.consumerThroughput, 1), cell(g.figures.e2eMean, 0), cell(g.figures.maxLag, 0)]);
  return { header, rows, right: new Set([1, 2, 3]) };
}
