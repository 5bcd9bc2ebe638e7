import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodeByteaArray,
  encodeFloat8Array,
  encodeInt4Array,
  encodeInt8Array,
  encodeTextArray,
  encodeTimestampArray,
} from '../../../../functions/shared/db/binary-arrays.js';
import { createTestDatabase, type TestDatabase } from '../../../helpers/postgres.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
});
afterAll(async () => {
  await db.drop();
});

/** What PostgreSQL reads from one binary array parameter, element by element, as text (NULL stays null). */
async function roundTrip(sqlType: string, parameter: Buffer): Promise<Array<string | null>> {
  const result = await db.pool.query<{ value: string | null }>(
    `SELECT e::text AS value FROM unnest($1::${sqlType}[]) WITH ORDINALITY AS t(e, n) ORDER BY n`,
    [parameter],
  );
  return result.rows.map((row) => row.value);
}

const AWKWARD_TEXT = [
  'plain',
  '',
  'NULL',
  'null',
  '"double" quotes',
  "single ' quote",
  'back\\slash \\" and \\\\ pairs',
  '{braces}, {"nested": [1, 2]}',
  'comma, separated, values',
  '  leading and trailing spaces  ',
  'tab\tnew\nline\rreturn',
  '$1 $$ dollar',
  'emoji 🐘, RTL \u202e, CJK 日本語, combining é',
  '\u00ff latin-1 and \u0100 beyond',
];

describe('binary array parameters', () => {
  it('carry any text verbatim, with NULL distinct from the string "NULL" and from the empty string', async () => {
    // Prepare
    const values = [...AWKWARD_TEXT, null, 'after a null'];

    // Act
    const stored = await roundTrip('text', encodeTextArray(values));

    // Assess
    expect(stored).toEqual(values);
  });

  it('carry a 1,000,000-character element and multi-byte text whose byte length differs from its length', async () => {
    // Prepare
    const long = 'x'.repeat(1_000_000);
    const multiByte = '🐘'.repeat(10_000) + 'é'.repeat(10_000);

    // Act
    const result = await db.pool.query<{ chars: number; bytes: number; same: boolean }>(
      'SELECT length(e) AS chars, octet_length(e) AS bytes, e = $2 AS same FROM unnest($1::text[]) AS e',
      [encodeTextArray([long, multiByte]), multiByte],
    );

    // Assess
    expect(result.rows).toEqual([
      { chars: 1_000_000, bytes: 1_000_000, same: false },
      { chars: 20_000, bytes: 60_000, same: true },
    ]);
  });

  it('are refused by PostgreSQL when text holds a NUL (callers replace it first), never stored cut short', async () => {
    // Act
    const outcome = roundTrip('text', encodeTextArray(['before\u0000after']));

    // Assess
    await expect(outcome).rejects.toThrow(/invalid byte sequence/);
  });

  it('encode empty arrays of every type', async () => {
    // Act
    const lengths = await db.pool.query(
      `SELECT cardinality($1::text[]) AS t, cardinality($2::int4[]) AS i, cardinality($3::int8[]) AS l,
              cardinality($4::float8[]) AS f, cardinality($5::timestamptz[]) AS ts, cardinality($6::bytea[]) AS b`,
      [encodeTextArray([]), encodeInt4Array([]), encodeInt8Array([]), encodeFloat8Array([]), encodeTimestampArray([]), encodeByteaArray([])],
    );

    // Assess
    expect(lengths.rows).toEqual([{ t: 0, i: 0, l: 0, f: 0, ts: 0, b: 0 }]);
  });

  it('carry integers at the ends of their ranges', async () => {
    // Prepare
    const int4 = [0, 1, -1, 2_147_483_647, -2_147_483_648];
    const int8 = [0, 1, -1, 4_294_967_295, 4_294_967_296, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];

    // Act
    const storedInt4 = await roundTrip('int4', encodeInt4Array(int4));
    const storedInt8 = await roundTrip('int8', encodeInt8Array(int8));

    // Assess
    expect(storedInt4).toEqual(int4.map(String));
    expect(storedInt8).toEqual(int8.map(String));
  });

  it('carry NULL among int8 values, distinct from 0', async () => {
    // Act
    const stored = await roundTrip('int8', encodeInt8Array([null, 0, Number.MAX_SAFE_INTEGER, null]));

    // Assess
    expect(stored).toEqual([null, '0', '9007199254740991', null]);
  });

  it('carry float8 values exactly', async () => {
    // Prepare
    const values = [0, -0.5, 0.1, 1 / 3, 1e-300, -1.7976931348623157e308, 5e-324];

    // Act
    const result = await db.pool.query<{ e: number }>('SELECT e FROM unnest($1::float8[]) WITH ORDINALITY AS t(e, n) ORDER BY n', [encodeFloat8Array(values)]);

    // Assess
    expect(result.rows.map((row) => row.e)).toEqual(values);
  });

  it('carry timestamps to the millisecond across years 1 to 9999, before 1970 and before 2000, and NULL', async () => {
    // Prepare
    const instants = [
      '0001-01-01T00:00:00.000Z',
      '0999-12-31T23:59:59.999Z',
      '1969-12-31T23:59:59.999Z',
      '1999-12-31T23:59:59.999Z',
      '2000-01-01T00:00:00.000Z',
      '2000-01-01T00:00:00.001Z',
      '2024-02-29T12:34:56.789Z',
      '9999-12-31T23:59:59.999Z',
    ];

    // Act
    const result = await db.pool.query<{ iso: string | null }>(
      `SELECT to_char(e AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS iso
       FROM unnest($1::timestamptz[]) WITH ORDINALITY AS t(e, n) ORDER BY n`,
      [encodeTimestampArray([...instants.map((iso) => Date.parse(iso)), null])],
    );

    // Assess
    expect(result.rows.map((row) => row.iso)).toEqual([...instants, null]);
  });

  it('carry bytea as raw bytes, including NUL and invalid UTF-8', async () => {
    // Prepare
    const bytes = [Buffer.from([0x00, 0xff, 0xfe, 0x7b]), new Uint8Array([1, 2, 3]), Buffer.alloc(0), null];

    // Act
    const result = await db.pool.query<{ e: Buffer | null }>('SELECT e FROM unnest($1::bytea[]) WITH ORDINALITY AS t(e, n) ORDER BY n', [encodeByteaArray(bytes)]);

    // Assess
    expect(result.rows.map((row) => row.e)).toEqual([Buffer.from([0x00, 0xff, 0xfe, 0x7b]), Buffer.from([1, 2, 3]), Buffer.alloc(0), null]);
  });

  it('are refused by PostgreSQL when the element type does not match the cast', async () => {
    // Act
    const outcome = db.pool.query('SELECT $1::int8[]', [encodeInt4Array([1])]);

    // Assess
    await expect(outcome).rejects.toThrow(/element type 23 \(integer\) instead of expected 20 \(bigint\)/);
  });
});
