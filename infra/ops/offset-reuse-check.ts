/**
 * The `offset-reuse` line of `npm run health`: how many records the detector dead-lettered because
 * Kafka placed them at coordinates (topic, partition, offset) that already hold a different stored
 * record, and what that means. Such records are kept whole in dead_letters, not in logs: the
 * pipeline lost nothing, but they were neither scored nor learned, and someone should know.
 * Verdict `warn` (not `fail`): it is something that happened, not something down now.
 */
import pg from 'pg';
import { describeDatabaseConfig, loadDatabaseConfig, type Env } from '../../functions/shared/config/index.js';
import { OFFSET_REUSED_REASON, summarizeOffsetReuse, type OffsetReuseSummary } from '../../functions/shared/db/index.js';
import type { CheckResult } from './health-checks.js';

const CHECK = 'offset-reuse';

/** What the records are and what to do, after the count. */
const HINT =
  'Kafka handed out offsets that already hold a different stored record (topic deleted and recreated, broker log lost, ' +
  'in-memory broker restarted, or db:restore against a reset Kafka). They are kept whole in dead_letters (reason ' +
  `"${OFFSET_REUSED_REASON}"), not scored; the stored logs at those offsets are untouched. If Kafka was reset on purpose, ` +
  'reset PostgreSQL with it (`npm run reset`) or move to a new topic; see docs/pipeline.md, "Idempotence".';

export async function checkOffsetReuse(env: Env): Promise<CheckResult> {
  let config;
  try {
    config = loadDatabaseConfig(env);
  } catch (error) {
    return { check: CHECK, verdict: 'fail', detail: (error as Error).message };
  }
  const where = describeDatabaseConfig(config);
  const client = new pg.Client({ ...config, password: config.password?.(), ssl: config.ssl ? { rejectUnauthorized: false } : false, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const table = await client.query<{ name: string | null }>("SELECT to_regclass('dead_letters') AS name");
    if (table.rows[0]!.name === null) return { check: CHECK, verdict: 'skip', detail: `${where}: no dead_letters table yet (see the postgres line)` };
    return describeOffsetReuse(await summarizeOffsetReuse(client));
  } catch (error) {
    return { check: CHECK, verdict: 'fail', detail: `${where}: ${(error as Error).message}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The line for a summary: `ok` with none, `warn` with the count, where, when, and the hint. */
export function describeOffsetReuse(summary: OffsetReuseSummary): CheckResult {
  if (summary.records === 0) return { check: CHECK, verdict: 'ok', detail: 'no record was dead-lettered for a reused Kafka offset' };
  const where = summary.streams.map(({ stream, records }) => `${stream}: ${records}`).join(', ');
  const more = summary.streams.reduce((sum, stream) => sum + stream.records, 0) < summary.records ? ', …' : '';
  const records = summary.records === 1 ? '1 record' : `${summary.records} records`;
  return {
    check: CHECK,
    verdict: 'warn',
    detail: `${records} dead-lettered as "${OFFSET_REUSED_REASON}" (${where}${more}; newest ${summary.newest}). ${HINT}`,
  };
}
