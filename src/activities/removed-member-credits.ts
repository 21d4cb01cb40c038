// A removed member's refund (section 5) given back on the invoices that billed the period the member left
// (section 13). One period can be billed by several invoices: the one that opened it (subscribe, trial end,
// renewal, plan change) and the member reviews since, each charging the members it added. A refund for members
// added by reviews is larger than the opening invoice, and earlier removals in the same period have already taken
// part of it; so the refund is spread over those invoices, newest first (the members who leave undo the latest
// additions first), each credited at most what is left of it.
import type { Day } from '../domain/calendar';
import type { Cents } from '../domain/money';
import { issueCreditNote } from './credit-notes';
import type { SellerSettings } from './documents';
import { issuedCreditNotes } from '../ledger/credit-notes';
import type { CreditNoteRow, DbOrTrx, InvoiceRow } from '../ledger/rows';

const PERIOD_OPENING_REASONS = ['trial_end', 'subscribe', 'renewal', 'plan_change'];

export interface RemovedMembersCredit {
  /** What the balance gets: each credit note's total (net + tax), and any part no invoice billed, as it is. */
  balanceCredit: Cents;
  creditNotes: CreditNoteRow[];
}

/**
 * Issues the credit notes of a removed members' refund of `amount` (net) on review day `on`, keyed `<key>:credit_note`
 * for the first and `<key>:credit_note:<n>` for the n-th. Each corrected invoice is credited
 * min(what is left of the refund, its net − what earlier credit notes took back), newest invoice first: the
 * period's member reviews, then the invoice that opened it. No invoice left to correct (no paid period):
 * the rest goes to the balance without a document. Call inside the transaction that writes the balance row.
 */
export async function creditRemovedMembers(
  trx: DbOrTrx,
  seller: SellerSettings,
  input: { key: string; teamId: string; on: Day; amount: Cents },
): Promise<RemovedMembersCredit> {
  const creditNotes: CreditNoteRow[] = [];
  let left = input.amount;
  for (const invoice of await invoicesBillingClosingPeriod(trx, input.teamId, input.on)) {
    if (left === 0) break;
    const part = Math.min(left, await uncreditedNet(trx, invoice));
    if (part <= 0) continue;
    const key = creditNotes.length === 0 ? `${input.key}:credit_note` : `${input.key}:credit_note:${creditNotes.length + 1}`;
    const { creditNote } = await issueCreditNote(trx, seller, {
      key, invoiceId: invoice.id, reason: 'member_removed', to: 'balance', on: input.on, at: `${input.on}T00:00:00.000Z`,
      lines: [{ kind: 'members_removed', description: 'Removed members, unused time refunded to the balance', amount: -part }],
    });
    creditNotes.push(creditNote);
    left -= part;
  }
  return { balanceCredit: left - creditNotes.reduce((sum, note) => sum + note.total, 0), creditNotes };
}

/** The credit notes `creditRemovedMembers` issued under `key` (number and tax), in the order it issued them, void or not. */
export async function creditNotesOfRemovedMembers(trx: DbOrTrx, key: string): Promise<{ number: string; tax: Cents }[]> {
  return (await notesUnder(trx, key).orderBy('number').select('number', 'tax')) as { number: string; tax: Cents }[];
}

/** Makes void, on `on`, the credit notes issued under `key` that are not yet: a retry finds them void and changes nothing. */
export async function voidCreditNotesOfRemovedMembers(trx: DbOrTrx, key: string, on: Day): Promise<void> {
  await notesUnder(trx, key).where({ status: 'issued' }).update({ status: 'void', voided_on: on });
}

/** `<key>:credit_note` and `<key>:credit_note:<n>`. */
function notesUnder(trx: DbOrTrx, key: string) {
  const escaped = `${key}:credit_note:`.replace(/[\\%_]/g, (c) => `\\${c}`); // LIKE's wildcards, taken literally
  return trx('credit_notes').where((notes) => notes.where({ idempotency_key: `${key}:credit_note` }).orWhere('idempotency_key', 'like', `${escaped}%`));
}

/**
 * The invoices that billed the period closing before review day `on`, newest first: the member reviews issued
 * before `on` since the latest period-opening invoice (not void), then that opening invoice.
 */
async function invoicesBillingClosingPeriod(trx: DbOrTrx, teamId: string, on: Day): Promise<InvoiceRow[]> {
  const opening = (await trx('invoices')
    .where({ team_id: teamId })
    .whereIn('reason', PERIOD_OPENING_REASONS)
    .whereNot({ status: 'void' })
    .where('issued_on', '<', on)
    .orderBy([{ column: 'issued_on', order: 'desc' }, { column: 'created_at', order: 'desc' }])
    .first()) as InvoiceRow | undefined;
  if (!opening) return [];
  const reviews = (await trx('invoices')
    .where({ team_id: teamId, reason: 'member_review' })
    .whereNot({ status: 'void' })
    .where('issued_on', '>=', opening.issued_on)
    .where('issued_on', '<', on)
    .orderBy([{ column: 'issued_on', order: 'desc' }, { column: 'created_at', order: 'desc' }])) as InvoiceRow[];
  return [...reviews, opening];
}

/** An invoice's net less what its credit notes (negative nets) already gave back: what can still be credited. */
async function uncreditedNet(trx: DbOrTrx, invoice: InvoiceRow): Promise<Cents> {
  const credited = await issuedCreditNotes(trx).where({ invoice_id: invoice.id }).sum({ sum: 'net' }).first();
  return invoice.net + Number(credited?.sum ?? 0);
}
