/** What an idempotent insert did: rows it added, and rows skipped because they were already stored. */
export interface InsertCounts {
  readonly inserted: number;
  readonly alreadyPresent: number;
}

export const NO_ROWS: InsertCounts = { inserted: 0, alreadyPresent: 0 };

export function addCounts(a: InsertCounts, b: InsertCounts): InsertCounts {
  return { inserted: a.inserted + b.inserted, alreadyPresent: a.alreadyPresent + b.alreadyPresent };
}

/**
 * Rows per INSERT statement. Inserts pass one array parameter per column (unnest), so the
 * 65,535-parameter limit never applies; chunking only bounds the size of one statement.
 */
export const ROWS_PER_STATEMENT = 5_000;

export function chunks<T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += size) result.push(rows.slice(start, start + size));
  return result;
}
