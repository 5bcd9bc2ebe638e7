import { ConfigError, ValidationError } from '../errors.js';
import type { LogRecord } from '../log/log-record.js';
import { parseBglLine } from './bgl-format.js';
import { createGenericParser, type GenericFormatOptions } from './generic-format.js';
import { parseSyntheticLine } from './synthetic-format.js';

/** Line formats a log file can be read in. */
export const LOG_FORMATS = ['synthetic', 'bgl', 'generic'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Longest line accepted, in UTF-16 code units (the message limit plus room for the prefix). */
export const MAX_LINE_CHARS = 64 * 1024;

export type LineParser = (line: string, lineNumber: number) => LogRecord;

/** The parser for `format`; ConfigError for an unknown format or bad generic options. */
export function lineParserFor(format: string, generic: GenericFormatOptions = {}): LineParser {
  switch (format) {
    case 'synthetic':
      return parseSyntheticLine;
    case 'bgl':
      return parseBglLine;
    case 'generic':
      return createGenericParser(generic);
    default:
      throw new ConfigError(`unknown log format ${JSON.stringify(String(format).slice(0, 40))}; expected one of ${LOG_FORMATS.join(', ')}`);
  }
}

/**
 * The lines of a log file's text: LF or CRLF endings; one final line ending is allowed. An empty
 * text, an empty line or an overlong line is a ValidationError naming the line (a line number is
 * also a label's line number, so none may be skipped).
 */
export function splitLogLines(text: string, what = 'log file'): string[] {
  if (text.length === 0) throw new ValidationError(`${what} is empty`);
  const body = text.endsWith('\n') ? text.slice(0, text.endsWith('\r\n') ? -2 : -1) : text;
  const lines = body.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.length === 0) throw new ValidationError(`${what} line ${i + 1} is empty`);
    if (line.length > MAX_LINE_CHARS) throw new ValidationError(`${what} line ${i + 1} is ${line.length} characters, over the ${MAX_LINE_CHARS}-character limit`);
  });
  return lines;
}

/** Every line of `text` as a record, in order (line numbers from 1). */
export function parseLogText(text: string, format: string, generic: GenericFormatOptions = {}): LogRecord[] {
  const parse = lineParserFor(format, generic);
  return splitLogLines(text).map((line, i) => parse(line, i + 1));
}
