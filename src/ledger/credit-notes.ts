// A credit note is issued or void. Void: a removed member's refund credited to the balance for an immediate plan
// change the provider refused went back out of the balance (reverseTeamBalanceCredit), so its notes gave nothing
// back. A void note keeps its number (never reused, section 13) and stays listed; what an invoice has been credited
// (what is left to refund, to credit, to void) counts issued notes only.
import type { DbOrTrx } from './rows';

/** The credit notes that gave something back: every sum of what an invoice was credited reads these. */
export function issuedCreditNotes(db: DbOrTrx) {
  return db('credit_notes').where('credit_notes.status', 'issued');
}
