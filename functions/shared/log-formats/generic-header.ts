import type { LogLevel } from '../log/log-record.js';
import { levelOfBareWord, levelOfLetter, levelOfUpperWord, levelOfWord } from './generic-levels.js';

/**
 * The header of a text log line: the fields between its timestamp and its message. The header is
 * read field by field from the timestamp on; the first field that is none of the header kinds
 * below starts the message, so nothing inside the message is ever read as a header field.
 *
 * Header fields (each may be preceded or followed by `-`, `|`, `:`, `,` or `]` separators):
 * - a number (pid, thread id: `148`, `1702`, `1234#5678`);
 * - a level: an upper-case level word (`INFO`, `WARNING:`), a level word of any case in a field
 *   marker (`[error]`, `<warn>`, `(info)`, `level=warn`, `severity="error"`, `[core:error]`), a
 *   lower/capitalised level word that is set off as a field (`warning:`, `Info` followed by column
 *   padding), or a logcat letter (`D`) just before a `Tag:`;
 * - a bracketed group (`[main]`, `[req-… …]`, `[QuorumPeer[myid=1]/…:FastLeaderElection@774]`),
 *   nested brackets allowed: a name, a `Class@line` or a `module:level` in it is a source candidate;
 * - `key=value` (logfmt): `level`/`severity`/… give the level, `logger`/`service`/`component`/…
 *   the source; `msg=`/`message=` starts the message;
 * - a program `name[pid]:`, `name(qualifier)[pid]:`, `name:` or a padded `name   :`: the source;
 *   it ends the header (a `warning:` opening the message then gives the level, and stays in it);
 * - a dotted logger name (`nova.osapi_compute.wsgi.server`, `dfs.DataNode$PacketResponder`) or
 *   `Class@line`, after a level or before a separator;
 * - a bare name set off by separators or column padding on both sides (`- myapp -`, `Info   CBS   `);
 * - before an upper-case level word within the next few fields, fields that are not prose (do not
 *   start with a lower-case letter): the `node component LEVEL message` layout; the field before
 *   the level word is a source candidate.
 *
 * Sources are trusted in this order: a syslog program (with a pid, or after a syslog host) or a
 * RFC 5424 APP-NAME; a dotted logger / `Class@line` / explicit `logger=`; a plain `name:`,
 * `[name]` or column field. A candidate that looks like an identifier is never a source: see
 * acceptableName.
 */
export interface Header {
  level: LogLevel | undefined;
  source: string | undefined;
  sourceTrust: number;
  host: string | undefined;
  /** Where the message starts in the line. */
  messageStart: number;
}

/** How a host field may precede the header: RFC 3164, RFC 3339 (rsyslog), RFC 5424, or none. */
export type HostLayout = 'rfc3164' | 'rfc3339' | 'rfc5424' | 'none';

interface Token {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Text inside a leading balanced `[…]`, or undefined. */
  readonly inner: string | undefined;
  /** Two or more blanks or a tab before the token (column padding). */
  readonly padBefore: boolean;
  padAfter: boolean;
}

/** The header is read within this many characters after the timestamp. */
export const HEADER_CHARS = 512;
/** At most this many header fields (separators not counted). */
const MAX_HEADER_FIELDS = 8;
/** Tokens read ahead (header fields, separators and the level look-ahead). */
const MAX_TOKENS = 20;
const MAX_NAME_CHARS = 64;

const TRUST_PROGRAM = 1;
const TRUST_LOGGER = 2;
const TRUST_NAME = 3;
const UNTRUSTED = 9;

const SEPARATOR = /^[-|:,;\])>"']{1,3}$/;
const NUMBER = /^\d+(?:#\d+)?[:,]?$/;
const PROGRAM = /^([A-Za-z_][\w.$/-]*)(\([^()\s]*\))?(\[\d+\])?:$/;
const NAME = /^[A-Za-z_][\w.$/-]*$/;
const DOTTED = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)+$/;
const KEY_VALUE = /^([A-Za-z_][\w.-]*)=(.*)$/;
const MODULE_LEVEL = /^([A-Za-z][\w.-]*):([A-Za-z]{3,13})$/;
const LOWER_START = /^[a-z]/;
const LEVEL_KEYS: ReadonlySet<string> = new Set(['level', 'lvl', 'severity', 'loglevel', 'log.level', 'levelname', 'priority']);
const SOURCE_KEYS: ReadonlySet<string> = new Set(['logger', 'logger_name', 'service', 'service.name', 'component', 'app', 'application', 'module', 'program']);
const MESSAGE_KEYS: ReadonlySet<string> = new Set(['msg', 'message']);

/** Reads the header of `line` from `from` (just after the timestamp, or 0). */
export function readHeader(line: string, from: number, hostLayout: HostLayout): Header {
  const limit = Math.min(line.length, from + HEADER_CHARS);
  const tokens = tokenize(line, from, limit);
  const header: Header = { level: undefined, source: undefined, sourceTrust: UNTRUSTED, host: undefined, messageStart: -1 };
  if (hostLayout === 'rfc5424') return readRfc5424(tokens, header, limit);
  let i = 0;
  const first = tokens[0];
  if (first !== undefined && hostLayout !== 'none' && isHost(first.text)) {
    const second = tokens[1];
    // RFC 3164 always puts the host there; after an RFC 3339 stamp only `host program[pid]:` is trusted.
    if (hostLayout === 'rfc3164' || (second !== undefined && PROGRAM.exec(second.text)?.[3] !== undefined)) {
      header.host = first.text;
      i = 1;
    }
  }
  let fields = 0;
  let consumedEnd = i > 0 ? (first?.end ?? from) : from;
  for (; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const next = tokens[i + 1];
    const text = token.text;
    if (SEPARATOR.test(text)) {
      consumedEnd = token.end;
      continue;
    }
    if (++fields > MAX_HEADER_FIELDS) break;
    const level = token.inner === undefined ? levelField(token, next) : undefined;
    if (token.inner !== undefined) {
      readBracket(header, token.inner);
    } else if (NUMBER.test(text)) {
      // a pid or thread id
    } else if (level !== undefined) {
      if (header.level !== undefined) break; // a second level word is message text (`ERROR Error: …`)
      header.level = level;
    } else if (KEY_VALUE.test(text)) {
      if (!readKeyValue(header, text)) {
        // logfmt: the fields after `msg=` are fields too; the message starts at `msg=` all the same.
        for (let k = i + 1; k < tokens.length; k++) if (KEY_VALUE.test((tokens[k] as Token).text)) readKeyValue(header, (tokens[k] as Token).text);
        break;
      }
    } else if (text.endsWith(':') || next?.text === ':') {
      // `name:`, `name[pid]:`, or `name   :` (a padded tag): the source, and the end of the header.
      const program = PROGRAM.exec(text.endsWith(':') ? text : `${text}:`);
      if (program === null || !offer(header, programName(program), program[3] !== undefined || header.host !== undefined ? TRUST_PROGRAM : DOTTED.test(program[1] as string) ? TRUST_LOGGER : TRUST_NAME)) break;
      const colon = text.endsWith(':') ? i : i + 1;
      header.messageStart = (tokens[colon] as Token).end;
      // `program: warning: …` (postfix, many daemons): the level word opening the message is a
      // field; it stays in the message.
      const opening = tokens[colon + 1]?.text;
      if (header.level === undefined && opening?.endsWith(':') === true) header.level = levelOfBareWord(opening.slice(0, -1)) ?? levelOfUpperWord(opening.slice(0, -1));
      return header;
    } else if (isLogger(text) && (header.level !== undefined || delimitedAfter(token, next))) {
      offer(header, loggerName(text), TRUST_LOGGER);
    } else if (NAME.test(text) && delimitedBefore(token, tokens[i - 1]) && delimitedAfter(token, next)) {
      offer(header, text, TRUST_NAME);
    } else if (header.level === undefined && levelOfLetter(text) !== undefined && next !== undefined && (PROGRAM.test(next.text) || (NAME.test(next.text) && tokens[i + 2]?.text === ':'))) {
      header.level = levelOfLetter(text);
    } else {
      const levelAt = header.level === undefined ? upperLevelAhead(tokens, i) : -1;
      if (levelAt < 0) break;
      const before = tokens[levelAt - 1] as Token;
      if (levelAt - 1 >= i && NAME.test(before.text)) offer(header, before.text, TRUST_NAME);
      header.level = levelOfUpperWord(stripMarks((tokens[levelAt] as Token).text));
      i = levelAt;
    }
    consumedEnd = (tokens[i] as Token).end;
  }
  header.messageStart = i < tokens.length ? (tokens[i] as Token).start : consumedEnd;
  return header;
}

/** Whether `name` may be a service: a name, not an identifier (ids, numbers, IPs, level words). */
export function acceptableName(name: string): boolean {
  if (name.length < 2 || name.length > MAX_NAME_CHARS || !NAME.test(name)) return false;
  if (/\d{4}/.test(name) || /^req-/i.test(name) || levelOfWord(name) !== undefined) return false;
  return !hasHexRun(name);
}

/** Offers a source candidate; the most trusted wins, the first among equals. True if acceptable. */
export function offer(header: Header, name: string, trust: number): boolean {
  if (!acceptableName(name)) return false;
  if (trust < header.sourceTrust) {
    header.source = name;
    header.sourceTrust = trust;
  }
  return true;
}

function tokenize(line: string, from: number, limit: number): Token[] {
  const tokens: Token[] = [];
  let pos = from;
  while (tokens.length < MAX_TOKENS) {
    const blankStart = pos;
    let tab = false;
    while (pos < limit && isBlank(line.charCodeAt(pos))) {
      if (line.charCodeAt(pos) === 9) tab = true;
      pos++;
    }
    if (pos >= limit) break;
    const padBefore = tab || pos - blankStart >= 2;
    const previous = tokens[tokens.length - 1];
    if (previous !== undefined) previous.padAfter = padBefore;
    const start = pos;
    let inner: string | undefined;
    // `[…]`, nested brackets allowed; adjacent groups (`[a][b c]`) are one token, `inner` the first.
    while (line.charCodeAt(pos) === 91 /* [ */) {
      const close = closingBracket(line, pos, limit);
      if (close < 0) break;
      inner ??= line.slice(pos + 1, close);
      pos = close + 1;
    }
    while (pos < limit && !isBlank(line.charCodeAt(pos))) {
      if (line.charCodeAt(pos) === 34 /* " */ && pos > start && line.charCodeAt(pos - 1) === 61 /* = */) {
        const close = closingQuote(line, pos + 1, limit);
        pos = close < 0 ? pos + 1 : close + 1;
      } else {
        pos++;
      }
    }
    tokens.push({ start, end: pos, text: line.slice(start, pos), inner, padBefore, padAfter: false });
  }
  const last = tokens[tokens.length - 1];
  if (last !== undefined) last.padAfter = padAt(line, last.end, limit);
  return tokens;
}

function padAt(line: string, pos: number, limit: number): boolean {
  if (pos < limit && line.charCodeAt(pos) === 9) return true;
  return pos + 1 < limit && isBlank(line.charCodeAt(pos)) && isBlank(line.charCodeAt(pos + 1));
}

/** Space, tab, LF, VT, FF, CR: what separates fields (other control characters are field text). */
export function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/** The index of the `]` closing the `[` at `open` (nesting counted), or -1 before `limit`. */
function closingBracket(line: string, open: number, limit: number): number {
  let depth = 0;
  for (let i = open; i < limit; i++) {
    const code = line.charCodeAt(i);
    if (code === 91) depth++;
    else if (code === 93 && --depth === 0) return i;
  }
  return -1;
}

/** The index of the `"` closing a quoted value that starts at `from` (`\"` skipped), or -1. */
function closingQuote(line: string, from: number, limit: number): number {
  for (let i = from; i < limit; i++) {
    const code = line.charCodeAt(i);
    if (code === 92 /* \ */) i++;
    else if (code === 34) return i;
  }
  return -1;
}

/** `[error]`, `[core:error]`, `[main]`, `[org.foo.Bar]`, `[thread:Class@123]`. */
function readBracket(header: Header, inner: string): void {
  const content = inner.trim();
  const level = levelOfWord(content);
  if (level !== undefined) {
    header.level ??= level;
    return;
  }
  const moduleLevel = MODULE_LEVEL.exec(content);
  const moduleLevelValue = moduleLevel === null ? undefined : levelOfWord(moduleLevel[2] as string);
  if (moduleLevel !== null && moduleLevelValue !== undefined) {
    header.level ??= moduleLevelValue;
    offer(header, moduleLevel[1] as string, TRUST_NAME);
    return;
  }
  if (NAME.test(content)) {
    offer(header, content, DOTTED.test(content) ? TRUST_LOGGER : TRUST_NAME);
    return;
  }
  const classAtLine = lastClassAtLine(content);
  if (classAtLine !== undefined) offer(header, classAtLine, TRUST_LOGGER);
}

/** The last `Name@123` in `text` (log4j `%C{1}@%L`): `…:FastLeaderElection@774` → `FastLeaderElection`. */
function lastClassAtLine(text: string): string | undefined {
  for (let at = text.lastIndexOf('@'); at > 0; at = text.lastIndexOf('@', at - 1)) {
    const digit = text.charCodeAt(at + 1);
    if (digit < 48 || digit > 57) continue;
    let start = at;
    while (start > 0 && /[\w$.]/.test(text.charAt(start - 1))) start--;
    const name = text.slice(start, at);
    if (/^[A-Za-z_$]/.test(name)) return name;
  }
  return undefined;
}

/** A logfmt field; false when it starts the message (`msg=`). */
function readKeyValue(header: Header, text: string): boolean {
  const match = KEY_VALUE.exec(text) as RegExpExecArray;
  const key = (match[1] as string).toLowerCase();
  if (MESSAGE_KEYS.has(key)) return false;
  const value = unquote(match[2] as string);
  if (LEVEL_KEYS.has(key)) header.level ??= levelOfWord(value);
  else if (SOURCE_KEYS.has(key)) offer(header, value, TRUST_LOGGER);
  return true;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** The level of a level word standing as a field (see the module comment), or undefined. */
function levelField(token: Token, next: Token | undefined): LogLevel | undefined {
  let word = token.text;
  let colon = false;
  if (word.endsWith(':') || word.endsWith(',')) {
    word = word.slice(0, -1);
    colon = true;
  }
  const wrapped = word.length > 2 && ((word.startsWith('<') && word.endsWith('>')) || (word.startsWith('(') && word.endsWith(')')));
  if (wrapped) return levelOfWord(word.slice(1, -1));
  const upper = levelOfUpperWord(word);
  if (upper !== undefined) return upper;
  return colon || token.padAfter || (next !== undefined && SEPARATOR.test(next.text)) ? levelOfBareWord(word) : undefined;
}

/** The index of an upper-case level word within the next 3 fields, all before it non-prose; else -1. */
function upperLevelAhead(tokens: readonly Token[], from: number): number {
  for (let j = from; j < Math.min(tokens.length, from + 4); j++) {
    const text = (tokens[j] as Token).text;
    if (j > from && levelOfUpperWord(stripMarks(text)) !== undefined) return j;
    if (LOWER_START.test(text) || text.endsWith(':') || text.includes('=') || (tokens[j] as Token).inner !== undefined) return -1;
  }
  return -1;
}

function stripMarks(text: string): string {
  return text.endsWith(':') ? text.slice(0, -1) : text;
}

function isLogger(text: string): boolean {
  return DOTTED.test(text) || /^[A-Za-z_$][\w$.]*@\d+$/.test(text);
}

/** `Class@123` → `Class`; a dotted name as is. */
function loggerName(text: string): string {
  const at = text.indexOf('@');
  return at < 0 ? text : text.slice(0, at);
}

/** A syslog program's name: `crond(pam_unix)` → `crond` (the qualifier names a module, not a program). */
function programName(match: RegExpExecArray): string {
  return loggerName(match[1] as string);
}

function delimitedBefore(token: Token, previous: Token | undefined): boolean {
  return token.padBefore || (previous !== undefined && SEPARATOR.test(previous.text));
}

function delimitedAfter(token: Token, next: Token | undefined): boolean {
  return next !== undefined && (token.padAfter || SEPARATOR.test(next.text) || next.inner !== undefined);
}

function isHost(text: string): boolean {
  return text.length <= 255 && /^[A-Za-z0-9][^\s[\]=:"]*(?::\d+)?$/.test(text) && !PROGRAM.test(text) && levelOfUpperWord(text) === undefined;
}

/** Hex runs of 8+ with a digit in them (hashes, UUID parts, request ids). */
function hasHexRun(name: string): boolean {
  let run = 0;
  let digit = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    const isDigit = code >= 48 && code <= 57;
    const isHex = isDigit || (code >= 97 && code <= 102) || (code >= 65 && code <= 70);
    if (!isHex) {
      run = 0;
      digit = false;
      continue;
    }
    run++;
    digit ||= isDigit;
    if (run >= 8 && digit) return true;
  }
  return false;
}

/** RFC 5424 after its stamp: HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG (`-` = none). */
function readRfc5424(tokens: readonly Token[], header: Header, limit: number): Header {
  const [host, app, , , ...rest] = tokens;
  if (host === undefined || app === undefined) {
    header.messageStart = tokens[0]?.start ?? limit;
    return header;
  }
  if (host.text !== '-') header.host = host.text;
  if (app.text !== '-') offer(header, app.text, TRUST_PROGRAM);
  let k = 0;
  if (rest[0]?.text === '-') k = 1;
  else while (rest[k]?.inner !== undefined) k++;
  header.messageStart = rest[k]?.start ?? (k > 0 ? (rest[k - 1] as Token).end : limit);
  return header;
}
