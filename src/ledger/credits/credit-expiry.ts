// Expiry (section 8): a grant is usable through the last second of the third calendar year after its
// acquisition. The sweep zeroes what is left of each grant past that second and writes an `expired` row, once per
// grant (its key is the grant), in batches so one run never holds many locks.
import type { Instant } from '../../domain/calendar';
import { expireCredits } from '../../domain/credits';
import type { Cents } from '../../domain/money';
import type { DbOrTrx } from '../rows';
import { grantOf, type GrantRow } from './grants';

export interface ExpiryBatch {
  grants: number;
  amount: Cents;
  /** The batch was full: there may be more to expire. */
  more: boolean;
}

export async function expireDueGrants(db: DbOrTrx, at: Instant, limit: number): Promise<ExpiryBatch> {
  return db.transaction(async (trx) => {
    // expires_at is the last usable second: due once a whole second past it.
    const rows = (await trx('credit_grants')
      .where('remaining', '>', 0)
      .where('expires_at', '<=', trx.raw(`?::timestamptz - interval '1 second'`, [at]))
      .orderBy('expires_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()) as GrantRow[];
    const byId = new Map(rows.map((row) => [row.id, row]));
    const { events } = expireCredits(rows.map(grantOf), at);
    let amount = 0;
    for (const event of events) {
      const row = byId.get(event.grantId) as GrantRow;
      await trx('credit_transactions')
        .insert({
          grant_id: event.grantId,
          idempotency_key: `expiry:${event.grantId}`,
          kind: 'expired',
          // A team's grant expires in the team's history only, not in its contributor's.
          user_id: row.team_id ? null : row.user_id,
          team_id: row.team_id,
          amount: event.amount,
          at: event.at,
        })
        .onConflict('idempotency_key')
        .ignore();
      await trx('credit_grants').where({ id: event.grantId }).update({ remaining: 0, updated_at: trx.fn.now() });
      amount += event.amount;
    }
    return { grants: events.length, amount, more: rows.length === limit };
  });
}
