import { ValidationError } from '../../functions/shared/errors.js';
import type { LogRecord } from '../../functions/shared/log/index.js';
import { lineParserFor, splitLogLines, type GenericFormatOptions, type LogFormat } from '../../functions/shared/log-formats/index.js';
import { parseLabels, type Labels } from './labels.js';
import { readInputFile } from './read-input-file.js';

/** A log file's lines as read and as records, one per line. */
export interface LoadedLog {
  readonly lines: readonly string[];
  readonly records: readonly LogRecord[];
}

/** A labelled log: its lines, records and labels, line for line. */
export interface DataSet extends LoadedLog {
  readonly input: string;
  readonly labels: Labels;
}

/**
 * Reads and parses a log file in `format`. Errors are ValidationErrors that name the file and,
 * for a line that does not parse, `what` and the line (e.g. `"t.log": training file line 3: …`).
 */
export async function loadLog(path: string, what: string, format: LogFormat, generic: GenericFormatOptions): Promise<LoadedLog> {
  const parse = lineParserFor(format, generic);
  const text = await readInputFile(path, what);
  try {
    const lines = splitLogLines(text, what);
    return { lines, records: lines.map((line, i) => parse(line, i + 1)) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const message = error.message.startsWith(what) ? error.message : `${what} ${error.message}`;
    throw new ValidationError(`${JSON.stringify(path)}: ${message}`, { cause: error });
  }
}

/** Reads a log file and its labels file; their line counts must match. */
export async function loadDataSet(input: string, labelsPath: string, format: LogFormat, generic: GenericFormatOptions): Promise<DataSet> {
  const [log, labelText] = await Promise.all([loadLog(input, 'log file', format, generic), readInputFile(labelsPath, 'labels file')]);
  let labels: Labels;
  try {
    labels = parseLabels(labelText);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(`${JSON.stringify(labelsPath)}: ${error.message}`, { cause: error });
  }
  if (labels.anomalous.length !== log.records.length) {
    throw new ValidationError(
      `${JSON.stringify(input)}: the labels file has ${labels.anomalous.length} lines but the log file has ${log.records.length}; they must match line for line (labels ${JSON.stringify(labelsPath)})`,
    );
  }
  return { input, ...log, labels };
}
