// How an amount due is paid (section 4), each source as far as it goes:
//   1. the team balance (refunds kept for the team),
//   2. credits, the soonest-expiring grant first (expired grants are unusable),
//   3. the payment method, for the rest.
// Neither the balance nor a grant is ever taken below zero.
import type { Moment } from './calendar';
import { takeCredits, type CreditGrant, type CreditUse } from './credits';
import { assertCents, type Cents } from './money';

export interface PaymentInput {
  /** The invoice total. A negative total is owed to the team and goes to its balance. */
  total: Cents;
  balance: Cents;
  grants: readonly CreditGrant[];
  /** Grants expired at this moment are skipped. */
  now: Moment;
}

export interface PaymentApplication {
  /** Amount due: max(0, invoice total) = balanceApplied + creditsApplied + charged. */
  total: Cents;
  balanceApplied: Cents;
  creditsApplied: Cents;
  /** Which grants paid, soonest-expiring first. */
  creditUses: CreditUse[];
  /** To charge to the payment method. */
  charged: Cents;
  /** Added to the balance when the invoice total is negative. */
  balanceCredited: Cents;
  balanceAfter: Cents;
  /** The grants after the payment, in the order given. */
  grantsAfter: CreditGrant[];
}

export function applyPayment({ total, balance, grants, now }: PaymentInput): PaymentApplication {
  assertCents(total, 'total');
  assertCents(balance, 'balance');
  if (balance < 0) throw new RangeError(`team balance cannot be negative: ${balance}`);
  for (const grant of grants) {
    assertCents(grant.amount, `grant ${grant.id}`);
    if (grant.amount < 0) throw new RangeError(`grant ${grant.id} is negative: ${grant.amount}`);
  }
  if (total <= 0) {
    const credited = -total;
    return {
      total: 0, balanceApplied: 0, creditsApplied: 0, creditUses: [], charged: 0,
      balanceCredited: credited, balanceAfter: balance + credited, grantsAfter: [...grants],
    };
  }
  const balanceApplied = Math.min(balance, total);
  const credits = takeCredits(grants, total - balanceApplied, now);
  return {
    total,
    balanceApplied,
    creditsApplied: credits.taken,
    creditUses: credits.uses,
    charged: total - balanceApplied - credits.taken,
    balanceCredited: 0,
    balanceAfter: balance - balanceApplied,
    grantsAfter: credits.grants,
  };
}
