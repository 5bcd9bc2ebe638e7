import type pg from 'pg';

/**
 * The plan of `sql` with sequential scans priced out, so any index the query can use shows up
 * (EXPLAIN without costs, in a transaction that is rolled back).
 */
export async function planWithoutSeqScans(pool: pg.Pool, sql: string, params: unknown[]): Promise<string> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${sql}`, params);
    await client.query('ROLLBACK');
    return result.rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    client.release();
  }
}
