export { parseBglLine } from './bgl-format.js';
export { HEAD_CHARS, createGenericParser, type GenericFormatOptions } from './generic-format.js';
export { LOG_FORMATS, MAX_LINE_CHARS, lineParserFor, parseLogText, splitLogLines, type LineParser, type LogFormat } from './log-format.js';
export { parseSyntheticLine } from './synthetic-format.js';
export { hostName, messageText, serviceName } from './record-fields.js';
