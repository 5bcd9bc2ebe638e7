import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES } from '../../../../functions/shared/log/index.js';
import { validateLogRecord } from '../../../../functions/shared/log/parse-log-record.js';
import { MAX_LINE_CHARS, createGenericParser } from '../../../../functions/shared/log-formats/index.js';

/** Expected fields of one line: ts, level, service, message, and host when not `unknown`. */
type Expected = readonly [ts: string, level: string, service: string, message: string, host?: string];

// Lines written for these tests in the shapes of common layouts (none taken from a public data
// set). Each is parsed by a fresh parser with defaultYear 2024.
const LAYOUTS: ReadonlyArray<readonly [layout: string, line: string, expected: Expected]> = [
  ['syslog', 'Mar  3 08:15:02 web-07 sshd[4411]: Accepted publickey for alice from 10.0.4.2 port 50122 ssh2', ['2024-03-03T08:15:02.000Z', 'INFO', 'sshd', 'Accepted publickey for alice from 10.0.4.2 port 50122 ssh2', 'web-07']],
  ['syslog, program with a (qualifier)', 'Mar  3 08:15:09 web-07 su(pam_unix)[812]: session opened for user backup by (uid=0)', ['2024-03-03T08:15:09.000Z', 'INFO', 'su', 'session opened for user backup by (uid=0)', 'web-07']],
  ['syslog, PAM-qualified program', 'Feb 18 22:41:05 gate sshd(pam_unix)[2207]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.2.2.2', ['2024-02-18T22:41:05.000Z', 'INFO', 'sshd', 'authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=10.2.2.2', 'gate']],
  ['syslog, `warning:` opening the message', 'Jul 30 02:00:12 mx1 postfix/smtp[30299]: warning: connect to 10.9.8.7: Connection refused', ['2024-07-30T02:00:12.000Z', 'WARN', 'postfix-smtp', 'warning: connect to 10.9.8.7: Connection refused', 'mx1']],
  ['syslog, program without pid', 'Oct 21 23:59:58 nas kernel: EXT4-fs warning (device sda1): ext4_dx_add_entry: directory index full', ['2024-10-21T23:59:58.000Z', 'INFO', 'kernel', 'EXT4-fs warning (device sda1): ext4_dx_add_entry: directory index full', 'nas']],
  ['syslog, program/subprogram, level word in the message', 'Jul 30 02:00:11 mx1 postfix/smtpd[30211]: NOQUEUE: reject: RCPT from unknown[10.9.8.7]: 554 ERROR relay denied', ['2024-07-30T02:00:11.000Z', 'ERROR', 'postfix-smtpd', 'NOQUEUE: reject: RCPT from unknown[10.9.8.7]: 554 ERROR relay denied', 'mx1']],
  ['syslog with <PRI>', '<28>Feb  5 17:32:18 gw-3 dhclient[612]: lease of 10.0.0.8 expired', ['2024-02-05T17:32:18.000Z', 'WARN', 'dhclient', 'lease of 10.0.0.8 expired', 'gw-3']],
  ['rsyslog RFC 3339', '2022-03-01T04:05:06.789+01:00 db-2 postgres[1402]: checkpoint starting: time', ['2022-03-01T03:05:06.789Z', 'INFO', 'postgres', 'checkpoint starting: time', 'db-2']],
  ['RFC 5424', "<34>1 2021-10-11T22:14:15.003Z edge01.example.net su - ID47 - 'su root' failed for lonvick on /dev/pts/8", ['2021-10-11T22:14:15.003Z', 'FATAL', 'su', "'su root' failed for lonvick on /dev/pts/8", 'edge01.example.net']],
  ['HDFS-like', '090312 101455 77 WARN dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: redundant request for blk_-4410 on 10.1.2.3:50010 size 512', ['2009-03-12T10:14:55.000Z', 'WARN', 'dfs.FSNamesystem', 'BLOCK* NameSystem.addStoredBlock: redundant request for blk_-4410 on 10.1.2.3:50010 size 512']],
  ['HDFS-like, inner class', '090312 101502 1203 INFO dfs.DataNode$DataXceiver: Receiving block blk_7731 src: /10.1.2.3:41000 dest: /10.1.2.4:50010', ['2009-03-12T10:15:02.000Z', 'INFO', 'dfs.DataNode-DataXceiver', 'Receiving block blk_7731 src: /10.1.2.3:41000 dest: /10.1.2.4:50010']],
  ['Zookeeper-like', '2016-02-11 09:30:12,004 - WARN  [SendWorker:2:QuorumCnxManager$SendWorker@688] - Send worker leaving thread', ['2016-02-11T09:30:12.004Z', 'WARN', 'QuorumCnxManager-SendWorker', 'Send worker leaving thread']],
  ['Zookeeper-like, `name:` in the message', '2016-02-11 09:31:00,250 - INFO  [WorkerReceiver[myid=3]/0:0:0:0:0:0:0:0:2888:FastLeaderElection@542] - Notification time out: 1600', ['2016-02-11T09:31:00.250Z', 'INFO', 'FastLeaderElection', 'Notification time out: 1600']],
  ['log4j, thread and logger', '2018-04-02 14:22:31,875 INFO [main] org.apache.hadoop.mapred.TaskAttempt: Starting attempt for job 17', ['2018-04-02T14:22:31.875Z', 'INFO', 'org.apache.hadoop.mapred.TaskAttempt', 'Starting attempt for job 17']],
  ['Spring Boot', '2020-02-14 09:00:01.002  INFO 4242 --- [           main] c.e.demo.DemoApplication                 : Started DemoApplication in 3.1 seconds', ['2020-02-14T09:00:01.002Z', 'INFO', 'c.e.demo.DemoApplication', 'Started DemoApplication in 3.1 seconds']],
  ['Python logging', '2021-06-30 22:10:05,331 - etl.loader - ERROR - row 17 rejected: missing key', ['2021-06-30T22:10:05.331Z', 'ERROR', 'etl.loader', 'row 17 rejected: missing key']],
  ['logback, time of day only', '08:30:00.120 [pool-2-thread-1] DEBUG com.acme.jobs.Scheduler - tick 4412', ['1970-01-01T08:30:00.120Z', 'DEBUG', 'com.acme.jobs.Scheduler', 'tick 4412']],
  ['Tomcat', '09-Jun-2017 20:10:41.503 INFO [main] org.apache.catalina.startup.Catalina.start Server startup in 812 ms', ['2017-06-09T20:10:41.503Z', 'INFO', 'org.apache.catalina.startup.Catalina.start', 'Server startup in 812 ms']],
  ['java.util.logging first line', 'Jun 09, 2017 8:10:40 PM org.apache.catalina.core.StandardService startInternal', ['2017-06-09T20:10:40.000Z', 'INFO', 'unknown', 'org.apache.catalina.core.StandardService startInternal']],
  [
    'OpenStack-like',
    '2018-01-09 13:45:10.221 3120 INFO nova.compute.resource_tracker [req-5b0c8e2a-91d4-4c3f-a7e3-0f1b2c3d4e5f - - - - -] Final resource view: phys_ram=64GB used_ram=2048MB',
    ['2018-01-09T13:45:10.221Z', 'INFO', 'nova.compute.resource_tracker', 'Final resource view: phys_ram=64GB used_ram=2048MB'],
  ],
  [
    'OpenStack-like, file name before the stamp',
    'nova-api.log.3.2018-01-09_14:00:00 2018-01-09 13:45:11.002 3121 INFO nova.api.openstack.wsgi [req-0d4c6b1e-7a8b-4c9d-8e0f-112233445566 5d1e0c8b9a7f6e5d4c3b2a1908070605 - - -] 172.16.0.9 "POST /v2/flavors HTTP/1.1" status: 201 len: 410 time: 0.21',
    ['2018-01-09T13:45:11.002Z', 'INFO', 'nova.api.openstack.wsgi', '172.16.0.9 "POST /v2/flavors HTTP/1.1" status: 201 len: 410 time: 0.21'],
  ],
  ['Apache error', '[Tue Mar 06 11:02:19 2007] [error] [client 192.168.7.7] File does not exist: /var/www/favicon.ico', ['2007-03-06T11:02:19.000Z', 'ERROR', 'unknown', 'File does not exist: /var/www/favicon.ico']],
  ['Apache error, [error] and "error" in the message', '[Sat Jan 12 03:10:07 2008] [error] proxy child pool in error state 7', ['2008-01-12T03:10:07.000Z', 'ERROR', 'unknown', 'proxy child pool in error state 7']],
  ['Apache error, "error" in the message only', '[Tue Mar 06 11:02:20 2007] [notice] worker child 2231 stopped in error state 3', ['2007-03-06T11:02:20.000Z', 'INFO', 'unknown', 'worker child 2231 stopped in error state 3']],
  ['Apache 2.4 error', '[Wed Aug 14 07:51:03.312655 2019] [ssl:warn] [pid 901:tid 140] AH01909: server certificate does not include an ID matching the server name', ['2019-08-14T07:51:03.312Z', 'WARN', 'ssl', 'AH01909: server certificate does not include an ID matching the server name']],
  ['Apache access', '10.20.30.40 - carol [22/Feb/2021:18:04:51 +0100] "GET /index.html HTTP/1.1" 200 5120 "-" "curl/7.68.0"', ['2021-02-22T17:04:51.000Z', 'INFO', 'unknown', '"GET /index.html HTTP/1.1" 200 5120 "-" "curl/7.68.0"']],
  ['nginx error', '2020/02/14 09:00:02 [crit] 812#812: *4 connect() to unix:/run/php.sock failed (13: Permission denied)', ['2020-02-14T09:00:02.000Z', 'FATAL', 'unknown', '*4 connect() to unix:/run/php.sock failed (13: Permission denied)']],
  ['Thunderbird-like (epoch + syslog)', '1149700823 2006.06.07 cn42 Jun 7 10:20:23 cn42/cn42 ntpd[3110]: synchronized to 10.100.0.1, stratum 2', ['2006-06-07T17:20:23.000Z', 'INFO', 'ntpd', 'synchronized to 10.100.0.1, stratum 2', 'cn42/cn42']],
  ['Thunderbird-like, program with a (qualifier)', '1149700900 2006.06.07 an5 Jun 7 10:21:40 an5/an5 crond(pam_unix)[771]: session opened for user root by (uid=0)', ['2006-06-07T17:21:40.000Z', 'INFO', 'crond', 'session opened for user root by (uid=0)', 'an5/an5']],
  ['BGL-like', '1128401203 2005.10.04 R11-M0-NC-I:J18-U01 2005-10-04-04.46.43.118202 R11-M0-NC-I:J18-U01 RAS KERNEL FATAL data TLB error interrupt', ['2005-10-04T04:46:43.000Z', 'FATAL', 'KERNEL', 'data TLB error interrupt']],
  ['logfmt', 'time="2022-07-01T06:00:02Z" level=error msg="upload failed" component=uploader attempt=3', ['2022-07-01T06:00:02.000Z', 'ERROR', 'uploader', 'msg="upload failed" component=uploader attempt=3']],
  ['logfmt, severity and logger', 'ts=2022-07-01T06:00:03.5Z severity=warning logger=cache.redis msg=evicting keys=120', ['2022-07-01T06:00:03.500Z', 'WARN', 'cache.redis', 'msg=evicting keys=120']],
  ['JSON', '{"ts":"2023-05-05T10:00:00.250Z","level":"warn","service":"billing","msg":"retrying charge","attempt":2}', ['2023-05-05T10:00:00.250Z', 'WARN', 'billing', 'retrying charge']],
  ['JSON, pino levels and epoch ms', '{"level":50,"time":1683280800000,"name":"gateway","hostname":"gw-1","msg":"upstream timeout"}', ['2023-05-05T10:00:00.000Z', 'ERROR', 'gateway', 'upstream timeout', 'gw-1']],
  ['JSON message after a stamp', '2023-05-05 10:00:01 {"level":"error","logger":"orders","message":"stock check failed"}', ['2023-05-05T10:00:01.000Z', 'ERROR', 'orders', 'stock check failed']],
  ['JSON message after a header', '2023-05-05 10:00:02 INFO worker[9]: {"logger":"orders","message":"stock checked"}', ['2023-05-05T10:00:02.000Z', 'INFO', 'worker', 'stock checked']],
  ['Windows-like', '2019-11-02 17:45:09, Warning               CSI    Transaction merge failed for component store', ['2019-11-02T17:45:09.000Z', 'WARN', 'CSI', 'Transaction merge failed for component store']],
  ['Windows-like, Info', '2019-11-02 17:45:10, Info                  CBS    Session initialized by client WindowsUpdateAgent', ['2019-11-02T17:45:10.000Z', 'INFO', 'CBS', 'Session initialized by client WindowsUpdateAgent']],
  ['Android-like', '11-24 08:12:44.507  2210  2254 W AudioTrack: releaseBuffer() track 0x7f3a underrun', ['2024-11-24T08:12:44.507Z', 'WARN', 'AudioTrack', 'releaseBuffer() track 0x7f3a underrun']],
  ['Android-like, padded tag', '11-24 08:12:45.001  1702  1820 I chatty  : uid=1000(system) Binder expire 3 lines', ['2024-11-24T08:12:45.001Z', 'INFO', 'chatty', 'uid=1000(system) Binder expire 3 lines']],
  ['Spark-like', '19/03/27 11:41:09 INFO storage.BlockManager: Removing RDD 12', ['2019-03-27T11:41:09.000Z', 'INFO', 'storage.BlockManager', 'Removing RDD 12']],
  ['Spark-like, colons in the message', '19/03/27 11:41:10 WARN scheduler.TaskSetManager: Lost task 3.0 in stage 7.0 (TID 88, worker-2): FetchFailed', ['2019-03-27T11:41:10.000Z', 'WARN', 'scheduler.TaskSetManager', 'Lost task 3.0 in stage 7.0 (TID 88, worker-2): FetchFailed']],
  ['ISO, level, plain message', '2024-05-01 12:00:00 INFO Starting server on port 8080', ['2024-05-01T12:00:00.000Z', 'INFO', 'unknown', 'Starting server on port 8080']],
  ['`YYYY/MM/DD`, bracketed level and `name:`', '2024/05/01 12:00:00.5 [error] db: deadlock detected', ['2024-05-01T12:00:00.500Z', 'ERROR', 'db', 'deadlock detected']],
  ['`YYYY.MM.DD`, <level>', '2024.05.01 12:00:00 <warn> cache miss storm', ['2024-05-01T12:00:00.000Z', 'WARN', 'unknown', 'cache miss storm']],
  ['a second level word is message text', '2024-05-01 12:00:00 ERROR Error: connection refused', ['2024-05-01T12:00:00.000Z', 'ERROR', 'unknown', 'Error: connection refused']],
  ['lower-case level set off by a colon', '2024-05-01 12:00:00 warning: disk low', ['2024-05-01T12:00:00.000Z', 'WARN', 'unknown', 'disk low']],
  ['capitalised level word in prose is not a level', '2024-05-01 12:00:00 Error in module loader, retrying', ['2024-05-01T12:00:00.000Z', 'INFO', 'unknown', 'Error in module loader, retrying']],
  ['request id is not a service', '2024-05-01 12:00:00 INFO [req-9f8e7d6c-aaaa-bbbb-cccc-1234567890ab] handled in 4 ms', ['2024-05-01T12:00:00.000Z', 'INFO', 'unknown', 'handled in 4 ms']],
  ['numbered thread is not a service', '2024-05-01 12:00:00 [Thread-20931] INFO processed 5', ['2024-05-01T12:00:00.000Z', 'INFO', 'unknown', 'processed 5']],
  ['hex id is not a service', '2024-05-01 12:00:00 [3f2a9c81d0e4] WARN slow disk', ['2024-05-01T12:00:00.000Z', 'WARN', 'unknown', 'slow disk']],
  ['stack-trace line', '    at com.acme.Foo.bar(Foo.java:42)', ['1970-01-01T00:00:00.000Z', 'INFO', 'unknown', 'at com.acme.Foo.bar(Foo.java:42)']],
];

describe('generic format: layouts', () => {
  it.each(LAYOUTS)('%s', (_layout, line, [ts, level, service, message, host = 'unknown']) => {
    // Act
    const record = createGenericParser({ defaultYear: 2024 })(line, 1);

    // Assess
    expect(record).toEqual({ id: 'line-1', ts, level, service, message, host });
    expect(validateLogRecord(record)).toEqual(record);
  });
});

describe('generic format: time across lines', () => {
  it('gives a year-less stamp defaultYear until a dated stamp is seen, then the year nearest the stream (over New Year too)', () => {
    // Prepare
    const parse = createGenericParser({ defaultYear: 1999 });

    // Act
    const times = [
      'Dec 31 23:59:50 h app[1]: before any dated stamp',
      '2011-12-31 23:59:58 INFO app: dated',
      'Dec 31 23:59:59 h app[1]: same year',
      'Jan  1 00:00:01 h app[1]: the next year',
      'a line without a time',
      'Jan  1 00:00:02 h app[1]: still the next year',
    ].map((line, i) => parse(line, i + 1).ts);

    // Assess
    expect(times).toEqual(['1999-12-31T23:59:50.000Z', '2011-12-31T23:59:58.000Z', '2011-12-31T23:59:59.000Z', '2012-01-01T00:00:01.000Z', '2012-01-01T00:00:01.000Z', '2012-01-01T00:00:02.000Z']);
  });

  it('prefers an epoch opening the line to a later year-less syslog stamp, and anchors later year-less lines', () => {
    // Prepare
    const parse = createGenericParser();

    // Act
    const epoch = parse('1149700823 2006.06.07 cn42 Jun 7 10:20:23 cn42/cn42 ntpd[3110]: synchronized', 1);
    const syslog = parse('Jun  7 10:25:00 cn42 ntpd[3110]: lost sync', 2);

    // Assess
    expect(epoch.ts).toBe('2006-06-07T17:20:23.000Z');
    expect(syslog.ts).toBe('2006-06-07T10:25:00.000Z');
  });

  it('ignores a stamp deep in the message and one that is not a real time', () => {
    // Prepare
    const parse = createGenericParser({ fallbackTime: '2020-01-01T00:00:00Z' });

    // Act
    const deep = parse('the job that was queued by bob ran at 2024-05-01 12:00:00 and finished', 1);
    const impossible = parse('2024-02-30 12:00:00 INFO app: February 30th', 2);
    const leap = parse('2024-02-29 12:00:00 INFO app: a leap day', 3);

    // Assess
    expect(deep).toMatchObject({ ts: '2020-01-01T00:00:00.000Z', message: 'the job that was queued by bob ran at 2024-05-01 12:00:00 and finished' });
    expect(impossible.ts).toBe('2020-01-01T00:00:00.000Z');
    expect(leap.ts).toBe('2024-02-29T12:00:00.000Z');
  });

  it('does not chain a stamp in the message after a level or a `name:`', () => {
    // Act
    const record = createGenericParser()('2024-05-01 12:00:00 INFO due 2024-05-01 18:00:00 for renewal', 1);

    // Assess
    expect(record).toMatchObject({ ts: '2024-05-01T12:00:00.000Z', level: 'INFO', message: 'due 2024-05-01 18:00:00 for renewal' });
  });
});

describe('generic format: hostile input', () => {
  const parse = createGenericParser();
  const valid = (line: string) => {
    const record = parse(line, 1);
    expect(validateLogRecord(record)).toEqual(record);
    return record;
  };

  it('cuts a huge line to the message limit', () => {
    // Act
    const record = valid(`2024-05-01 12:00:00 ERROR api[7]: ${'€'.repeat(MAX_LINE_CHARS - 40)}`);

    // Assess
    expect(record).toMatchObject({ level: 'ERROR', service: 'api' });
    expect(Buffer.byteLength(record.message, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(record.message.startsWith('€€€')).toBe(true);
  });

  it.each([
    ['spaces only', ' '.repeat(300), ''],
    ['tabs and spaces', '\t \t  \t', ''],
    ['control characters only', '\u0001\u0002\u001b\u007f\u0003', '\u0001\u0002\u001b\u007f\u0003'],
    ['NUL only', '\u0000\u0000\u0000', ''],
  ])('stores a line of %s', (_what, line, message) => {
    expect(valid(line)).toMatchObject({ service: 'unknown', level: 'INFO', message, host: 'unknown' });
  });

  it('drops NUL from names and messages', () => {
    // Act
    const record = valid('2024-05-01 12:00:00 WARN sy\u0000nc[3]: lost\u0000 peer');

    // Assess: a name with a NUL in it is no name.
    expect(record).toMatchObject({ level: 'WARN', service: 'unknown', message: 'sync[3]: lost peer' });
    expect(JSON.stringify(record)).not.toContain('\\u0000');
  });

  it('replaces lone surrogates (and keeps pairs)', () => {
    // Act
    const record = valid('2024-05-01 12:00:00 ERROR api: bad \ud800 text \udc00 and 😀 and \udbff');

    // Assess
    expect(record.message).toBe('bad \ufffd text \ufffd and 😀 and \ufffd');
  });

  it('reads the header before 1,000 `[`s and keeps them in the message', () => {
    // Act
    const unclosed = valid(`2024-05-01 12:00:00 WARN ${'['.repeat(1000)} tail`);
    const spaced = valid(`2024-05-01 12:00:00 ${'[ '.repeat(1000)}tail`);
    const nested = valid(`2024-05-01 12:00:00 ${'['.repeat(1000)}x${']'.repeat(1000)} tail`);

    // Assess
    expect(unclosed).toMatchObject({ ts: '2024-05-01T12:00:00.000Z', level: 'WARN', service: 'unknown', message: `${'['.repeat(1000)} tail` });
    expect(spaced).toMatchObject({ level: 'INFO', service: 'unknown', message: `${'[ '.repeat(1000)}tail` });
    expect(nested.message).toBe(`${'['.repeat(1000)}x${']'.repeat(1000)} tail`);
  });

  it.each([
    ['digits', '1'.repeat(16_384)],
    ['almost-ISO stamps', '2024-05-01 12:00:0'.repeat(900)],
    ['almost-ISO stamps without spaces', '2024-05-01T'.repeat(1500)],
    ['dashed stamps', '2005-06-03-15.42.'.repeat(960)],
    ['month names', 'Jan 1 '.repeat(2700)],
    ['weekday and month names', 'Sun Dec 04 04:47:'.repeat(960)],
    ['access-log dates', '10/Oct/2000:13:'.repeat(1090)],
    ['two-digit dates', '17/06/09 20:'.repeat(1365)],
    ['dotted names', 'a.'.repeat(8192)],
    ['Class@line', 'a@1:'.repeat(4096)],
    ['brackets with Class@', `[${'a@1:b$'.repeat(2700)}]`],
    ['open quotes', 'x="'.repeat(5461)],
    ['key=value', 'level=error '.repeat(1489)],
    ['program names', 'a[1]:b(c)'.repeat(1820)],
    ['separators', '- | '.repeat(4096)],
    ['blanks and tabs', ' \t'.repeat(8192)],
    ['level words', 'ERROR '.repeat(2730)],
    ['JSON-looking', `{"level":"${'a'.repeat(16_370)}`],
    ['deep JSON', `{"a":${'['.repeat(8000)}${']'.repeat(8000)}}`],
  ])('parses a 16 KiB line of %s', (_what, line) => {
    // Act
    const record = valid(line);

    // Assess: a stored message is the line's text (or, for a JSON object, the whole object).
    expect(line.length).toBeGreaterThanOrEqual(16_000);
    expect(line).toContain(record.message.slice(0, 1000));
  });
});
