// Section 13, the void of a paid invoice issued in error (the platform's voidPaidInvoice update): a credit note with
// reason void of what is left of it, at its tax rate; the money back the way it was paid (card, balance, credits),
// through the refund's one path; the invoice void with its number; the period it started ended today. On the
// time-skipping server with the real ledger.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentEmailsWorkflowId } from '../../src/activities/relay';
import { stateQuery, subscribeUpdate, voidPaidInvoiceUpdate } from '../../src/workflows';
import { checkLedgerInvariant } from '../support/ledger-invariant';
import { recordWorkflowHistory } from '../support/record-history';
import { refusalType, workflowHarnessForFile } from '../support/workflow-harness';

// The email activities read DATA_DIR at their first email (the receipt's): .eml files in a throwaway folder.
const savedDataDir = process.env.DATA_DIR;
process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'seatbill-voids-'));
afterAll(() => {
  if (savedDataDir === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = savedDataDir;
});

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

test('X1 voided: 12000 + 2280 = 14280 paid by 3000 credits and 11280 card; the void note −12000/−2280/−14280 gives 11280 to the card and 3000 to the credits', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10, billingCountry: 'DE', credits: 3000 });
  // Someone to tell (a team with nobody queues no document email): its owner gets the receipt and the void's note.
  await harness.db('users').insert({ id: `${team.teamId}-owner`, email: `owner@${team.teamId}.test`, name: 'Olga' });
  await harness.db('team_members').insert({ team_id: team.teamId, user_id: `${team.teamId}-owner`, role: 'owner' });
  const paid = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  expect(paid).toMatchObject({ net: 12000, tax: 2280, total: 14280, creditsApplied: 3000, charged: 11280, status: 'paid' });

  await team.advanceTo('2026-06-05'); // past any refund window (14 days in the EU): a void has none
  const voided = await team.handle.executeUpdate(voidPaidInvoiceUpdate, { args: [{ invoiceId: paid.invoiceId }] });
  expect(voided).toMatchObject({
    invoiceId: paid.invoiceId, refundId: expect.any(String), paymentId: expect.any(String), amount: 11280, balanceReturned: 0, creditsReturned: 3000,
    periodEndedOn: '2026-06-05', restricted: true, // 10 members > Free's 4
  });
  expect(await team.handle.query(stateQuery)).toMatchObject({ plan: 'free', status: 'free', period: null });

  const invoice = await harness.db('invoices').where({ id: paid.invoiceId }).first('status', 'number', 'charged');
  expect(invoice).toEqual({ status: 'void', number: paid.number, charged: 11280 });
  const notes = await harness.db('credit_notes').where({ invoice_id: paid.invoiceId }).select('idempotency_key', 'reason', 'to', 'issued_on', 'net', 'tax', 'total', 'tax_rate_bp', 'number');
  expect(notes).toEqual([{
    idempotency_key: `${team.teamId}:subscribe:2026-05-20:n1:void:credit_note`, reason: 'void', to: 'card', issued_on: '2026-06-05',
    net: -12000, tax: -2280, total: -14280, tax_rate_bp: 1900, number: expect.stringMatching(/^CN-2026-\d{6}$/),
  }]);
  const refunds = await harness.db('payment_refunds').where({ payment_id: voided.paymentId }).select({ key: 'idempotency_key' }, 'amount');
  expect(refunds).toEqual([{ key: `${team.teamId}:subscribe:2026-05-20:n1:void`, amount: 11280 }]);
  const credits = await harness.db('credit_transactions').where({ invoice_id: paid.invoiceId }).orderBy('id').select('kind', 'amount');
  expect(credits).toEqual([{ kind: 'used', amount: 3000 }, { kind: 'refunded', amount: 3000 }]);
  const notices = await harness.db('notifications').where({ team_id: team.teamId }).select('on', 'kind', 'payload');
  expect(notices.map((n: { on: string; kind: string; payload: { reason: string } }) => [n.on, n.kind, n.payload.reason])).toEqual([['2026-06-05', 'downgraded_to_free', 'invoice_voided']]);

  // The update again (the API refuses it first, 409): the same void under the same key, nothing given back twice.
  const again = await team.handle.executeUpdate(voidPaidInvoiceUpdate, { args: [{ invoiceId: paid.invoiceId }] });
  expect(again).toMatchObject({ refundId: voided.refundId, amount: 11280, creditsReturned: 3000, periodEndedOn: null });
  expect(await harness.db('credit_notes').where({ invoice_id: paid.invoiceId }).select('id')).toHaveLength(1);
  expect(await harness.db('payment_refunds').where({ payment_id: voided.paymentId }).select('id')).toHaveLength(1);

  // The invariant holds: the void invoice's payment is refunded in full, no refund exceeds its part.
  await expect(checkLedgerInvariant(harness.db, { teamId: team.teamId })).resolves.toMatchObject({ paidInvoices: 0, payments: 1 });

  const runs = await team.runs();
  const voidedIn = runs.findIndex((run) => run.history.events?.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'voidPaidInvoice'));
  expect(voidedIn).toBeGreaterThanOrEqual(0);
  await team.recordHistory('paid-invoice-voided', voidedIn);
  // The receipt's email workflow, started by the relay after the payment committed (document_emails, not notices).
  const receipt = `${team.teamId}:subscribe:2026-05-20:n1:receipt`;
  expect(await harness.db('document_emails').where({ team_id: team.teamId }).orderBy('id').pluck('idempotency_key')).toEqual([receipt, `${team.teamId}:subscribe:2026-05-20:n1:void:credit_note:email`]);
  await recordWorkflowHistory(harness.env.client, documentEmailsWorkflowId(receipt), 'document-emails-receipt');
});

test('a void request without an invoice is refused before anything runs', async () => {
  const team = await harness.startTeam({ start: '2026-05-20', members: 2 });
  expect(await refusalType(team.handle.executeUpdate(voidPaidInvoiceUpdate, { args: [{ invoiceId: '' }] }))).toBe('invalid_request');
});
