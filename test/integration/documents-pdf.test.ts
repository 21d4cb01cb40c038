import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBillingActivities, type BillingActivities } from '../../src/activities';
import { ledgerReads } from '../../src/api/ledger-reads';
import { setBillingDetails } from '../../src/billing-details/billing-details';
import { taxIdValidator } from '../../src/billing-details/tax-ids';
import { creditNotePdf, invoicePdf } from '../../src/documents/invoice-pdf';
import type { CreditNoteDetail, InvoiceDetail } from '../../src/documents/types';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, type TestDatabase } from '../support/database';

// The PDFs of section 13, read back as text: both parties, numbers, lines, net, the tax line, total, the
// reverse-charge mention, how the invoice was paid, and for a credit note the invoice it corrects.
const seller = { legalName: 'Seatbill Software Ltd', address: '1 Harbour Road\nDublin D02 XY45', country: 'IE', taxId: 'IE6388047V', invoicePrefix: 'INV', creditNotePrefix: 'CN' };
const out = join(__dirname, '../../artifacts/documents');
let testDb: TestDatabase;
let billing: BillingActivities;

beforeAll(async () => {
  testDb = await createTestDatabase();
  billing = createBillingActivities({ db: testDb.db, payments: { sandbox: createSandboxProvider({ db: testDb.db }) }, seller });
  mkdirSync(out, { recursive: true });
});
afterAll(() => testDb.drop());

const visa = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;

async function textOf(name: string, pdf: Buffer): Promise<string> {
  const file = join(out, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync(process.execPath, [join(__dirname, '../support/pdf-text.mjs'), file], { encoding: 'utf8' });
}

async function paidInvoice(teamId: string, details: { legalName: string; address: string; country: string; taxId: string | null }) {
  await billing.ensureTeam({ teamId, name: teamId, billingCountry: details.country });
  expect((await setBillingDetails(testDb.db, taxIdValidator(), teamId, details)).ok).toBe(true);
  await billing.grantTeamCredits({ key: `${teamId}:credits`, teamId, amount: 3000, acquiredAt: '2026-05-01T00:00:00Z', source: 'referral' });
  const issued = await billing.issueInvoice({
    key: `${teamId}:subscribe:2026-05-20`, teamId, reason: 'subscribe', issuedOn: '2026-05-20', periodStart: '2026-05-20', periodEnd: '2026-06-20',
    lines: [{ kind: 'period', description: 'Basic, monthly, 10 members, May 20 – Jun 20', amount: 12000, quantity: 10 }],
    workflowId: `team:${teamId}`, runId: 'run-1', at: '2026-05-20T00:00:00Z',
  });
  const paid = await billing.collectInvoice({ invoiceId: issued.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  const detail = (await ledgerReads(testDb.db).invoice(teamId, issued.invoiceId)) as unknown as InvoiceDetail;
  return { issued, paid, detail };
}

test('a consumer\'s invoice: both parties, its number, lines, net, VAT 19% (DE), total, and how it was paid', async () => {
  const buyer = { legalName: 'Beispiel GmbH', address: 'Hauptstraße 1\n10115 Berlin', country: 'DE', taxId: null };
  const { issued, detail } = await paidInvoice('team-pdf-de', buyer);
  const text = await textOf('invoice-consumer-de', await invoicePdf(detail, 'team-pdf-de'));
  for (const field of [
    'Invoice', `Number ${issued.number}`, 'Issued May 20, 2026', 'Status Paid', 'Period May 20, 2026 to June 20, 2026',
    'From', 'Seatbill Software Ltd', '1 Harbour Road', 'Dublin D02 XY45', 'IE', 'VAT ID IE6388047V',
    'Billed to', 'Beispiel GmbH', 'Hauptstraße 1', '10115 Berlin', 'DE',
    'Basic, monthly, 10 members, May 20 – Jun 20', '$120.00', 'Net', 'VAT 19% (DE)', '$22.80', 'Total', '$142.80',
    'How it was paid', 'Paid with credits', '$30.00', 'Charged to card', '$112.80',
  ]) expect(text.split('\n')).toContain(field);
  expect(text).not.toMatch(/Reverse charge/);
});

test('a business\'s invoice is reverse-charged: VAT 0%, the mention, and both VAT IDs; its refund\'s credit note names the invoice', async () => {
  const buyer = { legalName: 'Exemple SAS', address: '1 rue de la Paix\n75002 Paris', country: 'FR', taxId: 'FR40303265045' };
  const { issued, paid, detail } = await paidInvoice('team-pdf-fr', buyer);
  const text = await textOf('invoice-business-fr', await invoicePdf(detail, 'team-pdf-fr'));
  for (const field of [`Number ${issued.number}`, 'Exemple SAS', 'VAT ID FR40303265045', 'VAT ID IE6388047V', 'VAT 0% (FR), reverse charge', '$0.00', 'Total', '$120.00',
    'Reverse charge: VAT to be accounted for by the recipient']) expect(text.split('\n')).toContain(field);

  await billing.refundPayment({ key: 'team-pdf-fr:subscribe:2026-05-20:refund', paymentId: paid.paymentId!, at: '2026-05-22T09:00:00Z' });
  const [note] = (await ledgerReads(testDb.db).creditNotes('team-pdf-fr')) as unknown as CreditNoteDetail[];
  const noteText = await textOf('credit-note-business-fr', await creditNotePdf(note!, 'team-pdf-fr'));
  for (const field of ['Credit note', `Number ${note!.number}`, 'Issued May 22, 2026', `Corrects invoice ${issued.number}`, 'Reason Refund',
    'Exemple SAS', 'VAT ID FR40303265045', 'Seatbill Software Ltd', 'VAT ID IE6388047V', 'Basic, monthly, 10 members, May 20 – Jun 20', '-$120.00',
    'VAT 0% (FR), reverse charge', 'Reverse charge: VAT to be accounted for by the recipient', 'Refunded to the card it was paid with', '$90.00', 'Back to the credits it was paid with', '$30.00']) {
    expect(noteText.split('\n')).toContain(field);
  }
});

test('a partial refund\'s credit note: its own net and VAT at the invoice\'s rate, all of it refunded to the card', async () => {
  const buyer = { legalName: 'Teilweise GmbH', address: 'Ring 2\n20095 Hamburg', country: 'DE', taxId: null };
  const { issued, paid } = await paidInvoice('team-pdf-partial', buyer); // 14280, credits 3000, card 11280
  await billing.refundPayment({ key: 'team-pdf-partial:goodwill', paymentId: paid.paymentId!, amount: 5000, at: '2026-05-23T09:00:00Z' });
  const [note] = (await ledgerReads(testDb.db).creditNotes('team-pdf-partial')) as unknown as CreditNoteDetail[];
  const text = await textOf('credit-note-partial-de', await creditNotePdf(note!, 'team-pdf-partial'));
  // 5000 × 1900 ÷ 11900 = 798.32 → $7.98 VAT, $42.02 net.
  for (const field of [`Number ${note!.number}`, `Corrects invoice ${issued.number}`, 'Reason Refund', `Part of invoice ${issued.number} given back`, '-$42.02',
    'VAT 19% (DE)', '-$7.98', '-$50.00', 'Refunded to the card it was paid with', '$50.00']) expect(text.split('\n')).toContain(field);
  expect(text).not.toMatch(/Back to the credits/);
});

test('a removed member\'s credit note taken back with its balance credit (a refused plan change) reads void: nothing given back', async () => {
  const buyer = { legalName: 'Zurück GmbH', address: 'Allee 3\n10115 Berlin', country: 'DE', taxId: null };
  const { issued } = await paidInvoice('team-pdf-void-note', buyer);
  const key = 'team-pdf-void-note:plan_change:2026-05-25:member_removed';
  await billing.creditTeamBalance({ key, teamId: 'team-pdf-void-note', amount: 1006, reason: 'member_removed', on: '2026-05-25' });
  await billing.reverseTeamBalanceCredit({ key, on: '2026-05-25' });
  await billing.reverseTeamBalanceCredit({ key, on: '2026-05-26' }); // a retry: the first day stands
  const [note] = (await ledgerReads(testDb.db).creditNotes('team-pdf-void-note')) as unknown as CreditNoteDetail[];
  expect(note).toMatchObject({ status: 'void', voidedOn: '2026-05-25', net: -1006, tax: -191, total: -1197 }); // X3's figures
  const text = await textOf('credit-note-void-de', await creditNotePdf(note!, 'team-pdf-void-note'));
  for (const field of [`Number ${note!.number}`, `Corrects invoice ${issued.number}`, 'Void since May 25, 2026', '$0.00']) expect(text.split('\n')).toContain(field);
  expect(text).not.toMatch(/Added to the team balance/);
  const balance = await testDb.db('balance_transactions').where({ team_id: 'team-pdf-void-note' }).orderBy('created_at').select('amount', 'reason');
  expect(balance.map((row) => [Number(row.amount), row.reason])).toEqual([[1197, 'member_removed'], [-1197, 'reversed']]);
});
