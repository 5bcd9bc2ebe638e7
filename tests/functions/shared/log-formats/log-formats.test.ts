import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from '../../../../functions/shared/errors.js';
import { MAX_MESSAGE_BYTES } from '../../../../functions/shared/log/index.js';
import { validateLogRecord } from '../../../../functions/shared/log/parse-log-record.js';
import { createGenericParser, lineParserFor, parseBglLine, parseLogText, splitLogLines } from '../../../../functions/shared/log-formats/index.js';

const BGL = '1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected';

describe('bgl format', () => {
  it('reads component, node, time and level', () => {
    // Act
    const record = parseBglLine(BGL, 7);

    // Assess
    expect(record).toEqual({
      id: 'line-7',
      ts: '2005-06-03T15:42:50.675Z',
      service: 'KERNEL',
      level: 'INFO',
      message: 'instruction cache parity error corrected',
      host: 'R02-M1-N0-C:J12-U11',
    });
    expect(validateLogRecord(record)).toEqual(record);
  });

  it.each([
    ['WARNING', 'WARN'],
    ['SEVERE', 'ERROR'],
    ['FAILURE', 'FATAL'],
    ['FATAL', 'FATAL'],
  ])('maps level %s to %s', (bgl, level) => {
    expect(parseBglLine(BGL.replace(' INFO ', ` ${bgl} `), 1).level).toBe(level);
  });

  it.each([
    ['too few fields', '1117838570 2005.06.03 R02 RAS KERNEL', /at least 8/],
    ['a bad timestamp', BGL.replace('2005-06-03-15.42.50.675872', '2005-13-03-15.42.50.675872'), /field 4/],
    ['an unknown level', BGL.replace(' INFO ', ' LOUD '), /field 8/],
  ])('names the line for %s', (_what, line, message) => {
    expect(() => parseBglLine(line, 12)).toThrow(ValidationError);
    expect(() => parseBglLine(line, 12)).toThrow(message);
    expect(() => parseBglLine(line, 12)).toThrow(/line 12/);
  });
});

describe('generic format', () => {
  it('finds an ISO time with a zone, the level and a syslog-style source', () => {
    // Act
    const record = createGenericParser()('2024-05-01 12:34:56,789+02:00 ERROR payment-svc[123]: charge failed for order 9', 1);

    // Assess
    expect(record).toMatchObject({ ts: '2024-05-01T10:34:56.789Z', level: 'ERROR', service: 'payment-svc', message: 'charge failed for order 9' });
  });

  it('reads syslog and epoch times, [source] and defaults; a line without a time keeps the previous one', () => {
    // Prepare
    const parse = createGenericParser({ defaultYear: 2025 });

    // Act
    const syslog = parse('May  1 07:00:01 host sshd[99]: Accepted publickey for deploy', 1);
    const bare = parse('continuation without any header', 2);
    const epoch = parse('1700000000 [scheduler] WARNING queue is long', 3);

    // Assess
    expect(syslog).toMatchObject({ ts: '2025-05-01T07:00:01.000Z', service: 'sshd', level: 'INFO', message: 'Accepted publickey for deploy' });
    expect(bare).toMatchObject({ ts: '2025-05-01T07:00:01.000Z', service: 'unknown', level: 'INFO', message: 'continuation without any header' });
    expect(epoch).toMatchObject({ ts: '2023-11-14T22:13:20.000Z', service: 'scheduler', level: 'WARN' });
  });

  it('takes custom patterns, and refuses a broken one', () => {
    // Prepare
    const parse = createGenericParser({ timestampPattern: '@(\\S+)', levelPattern: 'lvl=(\\w+)', sourcePattern: 'app=([\\w-]+)' });

    // Act
    const record = parse('@2024-01-02T03:04:05Z lvl=fatal app=billing-api disk gone', 1);

    // Assess
    expect(record).toMatchObject({ ts: '2024-01-02T03:04:05.000Z', level: 'FATAL', service: 'billing-api', message: 'disk gone' });
    expect(() => createGenericParser({ levelPattern: '(' })).toThrow(ConfigError);
  });

  it('makes hostile text storable: odd service characters, NUL, oversize messages', () => {
    // Act
    const record = createGenericParser({ sourcePattern: '^(\\S+)' })(`we!rd/name<script> ${'é'.repeat(20_000)}\u0000`, 1);

    // Assess
    expect(record.service).toBe('we-rd-name-script');
    expect(Buffer.byteLength(record.message, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(validateLogRecord(record)).toEqual(record);
  });
});

describe('log files', () => {
  it('reads synthetic JSON lines and names a bad line', () => {
    // Prepare
    const good = JSON.stringify({ id: 'a', ts: '2026-11-24T10:00:00.000Z', service: 'api', level: 'INFO', message: 'hi', host: 'h' });

    // Act + Assess
    expect(parseLogText(`${good}\n${good}\n`, 'synthetic')).toHaveLength(2);
    expect(() => parseLogText(`${good}\n{"id":1}\n`, 'synthetic')).toThrow(/line 2/);
    expect(() => parseLogText(`${good}\nnot json\n`, 'synthetic')).toThrow(/line 2: not JSON/);
  });

  it('refuses an empty file, an empty line, an overlong line and an unknown format', () => {
    expect(() => splitLogLines('')).toThrow(/is empty/);
    expect(() => splitLogLines('a\n\nb\n')).toThrow(/line 2 is empty/);
    expect(() => splitLogLines(`${'x'.repeat(70_000)}\n`)).toThrow(/over the/);
    expect(() => lineParserFor('xml')).toThrow(ConfigError);
    expect(splitLogLines('a\r\nb\r\n')).toEqual(['a', 'b']);
  });
});
