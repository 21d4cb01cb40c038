import knex, { type Knex } from 'knex';
import { types } from 'pg';
import { migrationSource } from '../../migrations';

export type Db = Knex;

/**
 * Postgres `bigint` (OID 20) arrives as a string by default. Ledger amounts are cents well inside
 * Number.MAX_SAFE_INTEGER, so they are parsed as numbers, refusing any that would lose precision.
 */
types.setTypeParser(20, (text: string) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint ${text} is outside the safe integer range`);
  return value;
});
// `date` (OID 1082) stays the calendar day it is, 'YYYY-MM-DD', never a local-time Date.
types.setTypeParser(1082, (text: string) => text);

/** A pooled connection to the ledger. */
export function createDb(databaseUrl: string, options: { pool?: { min: number; max: number } } = {}): Db {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: options.pool ?? { min: 0, max: 10 },
    migrations: { migrationSource, tableName: 'knex_migrations' },
  });
}

/** Brings the ledger schema up to date; returns the names of the migrations it ran. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const [, ran] = (await db.migrate.latest()) as [number, string[]];
  return ran;
}
