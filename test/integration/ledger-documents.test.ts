import { createBillingActivities, type InvoiceLineInput } from '../../src/activities';
import { setBillingDetails } from '../../src/billing-details/billing-details';
import { taxIdValidator } from '../../src/billing-details/tax-ids';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createTestDatabase, sandboxLedgerForFile, SANDBOX_VISA as visa } from '../support/database';

// Section 13 in the ledger: one tax line per invoice, gapless per-year numbers taken in the issuing transaction,
// credit notes for money given back, all idempotent and safe under concurrency.
const ledger = sandboxLedgerForFile();
const period = (members: number, price = 1200): InvoiceLineInput => ({ kind: 'period', description: `Basic monthly × ${members} members`, amount: price * members, quantity: members });

function issue(teamId: string, on: string, lines: InvoiceLineInput[], reason: 'subscribe' | 'renewal' | 'member_review' = 'renewal') {
  return ledger.billing.issueInvoice({ key: `${teamId}:${reason}:${on}`, teamId, reason, issuedOn: on, lines, workflowId: `team:${teamId}`, runId: 'run-1', at: `${on}T00:00:00Z` });
}

const sequence = async (series: string, year: number) =>
  ((await ledger.testDb.db('document_sequences').where({ series, year }).first('last_number')) as { last_number: number } | undefined)?.last_number ?? 0;

test('many teams issuing at once, each write replayed at the same time: numbers 1..n, none missing, none twice, one per invoice', async () => {
  const teams = Array.from({ length: 24 }, (_, i) => `team-burst-${i}`);
  for (const [i, teamId] of teams.entries()) await ledger.billing.ensureTeam({ teamId, name: teamId, billingCountry: i % 2 ? 'DE' : 'US' });
  const before = await sequence('INV', 2026);
  // Every issue twice, concurrently: the second is a retried activity that races the first.
  const issued = await Promise.all(teams.flatMap((teamId) => [issue(teamId, '2026-11-02', [period(3)]), issue(teamId, '2026-11-02', [period(3)])]));
  const byTeam = new Map<string, string>();
  for (const [i, invoice] of issued.entries()) {
    const teamId = teams[Math.floor(i / 2)]!;
    if (byTeam.has(teamId)) expect(invoice.number).toBe(byTeam.get(teamId)); // the replay answers with the first's number
    else byTeam.set(teamId, invoice.number);
  }
  const numbers = [...byTeam.values()].sort();
  expect(numbers).toEqual(teams.map((_, i) => `INV-2026-${(before + i + 1).toString().padStart(6, '0')}`));
  expect(await sequence('INV', 2026)).toBe(before + teams.length);
  const stored = await ledger.testDb.db('invoices').whereIn('team_id', teams).pluck('number');
  expect(stored.sort()).toEqual(numbers);
});

test('a replayed issue takes no second number; the next invoice takes the next one; a new year starts at 000001', async () => {
  await ledger.billing.ensureTeam({ teamId: 'team-replay', name: 'Replay', billingCountry: 'US' });
  const first = await issue('team-replay', '2026-12-20', [period(2)]);
  const counter = await sequence('INV', 2026);
  await expect(issue('team-replay', '2026-12-20', [period(2)])).resolves.toEqual(first);
  expect(await sequence('INV', 2026)).toBe(counter);
  const next = await issue('team-replay', '2026-12-21', [period(2)]);
  expect(next.number).toBe(`INV-2026-${(counter + 1).toString().padStart(6, '0')}`);
  const january = await issue('team-replay', '2027-01-20', [period(2)]);
  expect(january.number).toBe('INV-2027-000001');
});

test('X1: a consumer team in Germany pays 12000 + 19% = 14280; the card is charged the total, and the invoice keeps its rate and both parties', async () => {
  await ledger.billing.ensureTeam({ teamId: 'team-x1', name: 'X1 GmbH', billingCountry: 'DE' });
  const invoice = await issue('team-x1', '2026-05-20', [period(10)], 'subscribe');
  expect(invoice).toMatchObject({ net: 12000, tax: 2280, total: 14280, charged: 14280, status: 'open' });
  const paid = await ledger.billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  expect(paid).toMatchObject({ status: 'paid', total: 14280, charged: 14280 });
  expect(await ledger.testDb.db('payments').where({ invoice_id: invoice.invoiceId }).pluck('amount')).toEqual([14280]);
  const row = await ledger.testDb.db('invoices').where({ id: invoice.invoiceId }).first('tax_rate_bp', 'tax_treatment', 'tax_country', 'seller', 'buyer');
  expect(row).toEqual({
    tax_rate_bp: 1900, tax_treatment: 'standard', tax_country: 'DE',
    seller: { legalName: 'seatbill', address: '', country: 'US', taxId: null },
    buyer: { legalName: 'X1 GmbH', address: '', country: 'DE', taxId: null },
  });
});

test('X2: with a valid French VAT ID the team is reverse-charged; an invalid one is refused and changes nothing', async () => {
  await ledger.billing.ensureTeam({ teamId: 'team-x2', name: 'X2', billingCountry: 'FR' });
  const details = { legalName: 'X2 SAS', address: '1 rue de la Paix, 75002 Paris', country: 'FR' };
  expect(await setBillingDetails(ledger.testDb.db, taxIdValidator(), 'team-x2', { ...details, taxId: 'FR40303265046' })).toMatchObject({ ok: false, field: 'taxId' });
  expect(await ledger.testDb.db('teams').where({ id: 'team-x2' }).first('tax_id', 'legal_name')).toEqual({ tax_id: null, legal_name: null });
  expect(await setBillingDetails(ledger.testDb.db, taxIdValidator(), 'team-x2', { ...details, taxId: 'fr 40 303 265 045' })).toMatchObject({ ok: true, details: { taxId: 'FR40303265045' } });
  const invoice = await issue('team-x2', '2026-05-20', [period(10)], 'subscribe');
  expect(invoice).toMatchObject({ net: 12000, tax: 0, total: 12000 });
  expect(await ledger.testDb.db('invoices').where({ id: invoice.invoiceId }).first('tax_treatment', 'buyer')).toEqual({
    tax_treatment: 'reverse_charge', buyer: { ...details, taxId: 'FR40303265045' },
  });
});

test('X3: a removed member\'s refund is a credit note −1006 − 191 = −1197 to the balance; the renewal uses it; replayed, nothing twice', async () => {
  const teamId = 'team-x3';
  await ledger.billing.ensureTeam({ teamId, name: 'X3', billingCountry: 'DE' });
  const subscribed = await issue(teamId, '2026-05-20', [period(10)], 'subscribe');
  await ledger.billing.collectInvoice({ invoiceId: subscribed.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  const credit = { key: `${teamId}:renewal:2026-06-20:member_removed`, teamId, amount: 1006, reason: 'member_removed', on: '2026-06-20' };
  const credited = await ledger.billing.creditTeamBalance(credit);
  expect(credited).toMatchObject({ amount: 1197, creditNoteNumber: expect.stringMatching(/^CN-2026-\d{6}$/) });
  await expect(ledger.billing.creditTeamBalance(credit)).resolves.toEqual(credited);
  const notes = await ledger.testDb.db('credit_notes').where({ team_id: teamId }).select('number', 'invoice_id', 'reason', 'to', 'net', 'tax', 'total', 'tax_rate_bp');
  expect(notes).toEqual([{ number: credited.creditNoteNumber, invoice_id: subscribed.invoiceId, reason: 'member_removed', to: 'balance', net: -1006, tax: -191, total: -1197, tax_rate_bp: 1900 }]);
  const renewal = await issue(teamId, '2026-06-20', [period(9)]);
  expect(renewal).toMatchObject({ net: 10800, tax: 2052, total: 12852, balanceApplied: 1197, charged: 11655 });
});

test('removed members\' refund larger than the opening invoice: credit notes on the reviews that added them, newest first, then the opening invoice, each at most what is left of it', async () => {
  const teamId = 'team-spread';
  await ledger.billing.ensureTeam({ teamId, name: 'Spread', billingCountry: 'DE' });
  const opening = await issue(teamId, '2027-06-07', [period(1)], 'subscribe'); // 1200
  const review = (on: string, amount: number) => issue(teamId, on, [{ kind: 'members_added', description: 'Members added', amount, quantity: 1 }], 'member_review');
  const july = await review('2027-07-07', 3000);
  const august = await review('2027-08-07', 800);
  const credit = (key: string, amount: number, on: string) => ledger.billing.creditTeamBalance({ key: `${teamId}:${key}`, teamId, amount, reason: 'member_removed', on });
  // 4500 = 800 (August, whole) + 3000 (July, whole) + 700 (opening); balance 4500 + 19% of each part: 152 + 570 + 133 = 855.
  const first = await credit('member_review:2027-10-07:n4:member_removed', 4500, '2027-10-07');
  expect(first.amount).toBe(4500 + 855);
  await expect(credit('member_review:2027-10-07:n4:member_removed', 4500, '2027-10-07')).resolves.toEqual(first);
  // 900 more in the same period: the opening invoice has 1200 − 700 = 500 left; the other 400 billed nothing left, kept as it is.
  const second = await credit('member_review:2027-11-07:n5:member_removed', 900, '2027-11-07');
  expect(second).toMatchObject({ amount: 500 + 95 + 400, creditNoteNumbers: [expect.stringMatching(/^CN-2027-/)] });
  const notes = await ledger.testDb.db('credit_notes').where({ team_id: teamId }).orderBy('number').select('number', 'invoice_id', 'net', 'tax');
  expect(notes).toEqual([
    { number: first.creditNoteNumbers[0], invoice_id: august.invoiceId, net: -800, tax: -152 },
    { number: first.creditNoteNumbers[1], invoice_id: july.invoiceId, net: -3000, tax: -570 },
    { number: first.creditNoteNumbers[2], invoice_id: opening.invoiceId, net: -700, tax: -133 },
    { number: second.creditNoteNumber, invoice_id: opening.invoiceId, net: -500, tax: -95 },
  ]);
});

test('a whole refund to the card is a credit note of the whole invoice', async () => {
  const teamId = 'team-refunded';
  await ledger.billing.ensureTeam({ teamId, name: 'Refunded', billingCountry: 'NL' });
  const invoice = await issue(teamId, '2026-05-20', [period(6)], 'subscribe'); // 7200 + 21% = 8712
  const paid = await ledger.billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  const refund = { key: `${teamId}:subscribe:2026-05-20:refund`, paymentId: paid.paymentId!, at: '2026-05-22T10:00:00Z' };
  await ledger.billing.refundPayment(refund);
  await ledger.billing.refundPayment(refund); // retried: one refund, one credit note
  const notes = await ledger.testDb.db('credit_notes').where({ team_id: teamId }).select('id', 'reason', 'to', 'issued_on', 'net', 'tax', 'total');
  expect(notes).toEqual([{ id: expect.any(String), reason: 'refund', to: 'card', issued_on: '2026-05-22', net: -7200, tax: -1512, total: -8712 }]);
  expect(await ledger.testDb.db('credit_note_lines').where({ credit_note_id: notes[0]!.id }).select('kind', 'amount')).toEqual([{ kind: 'period', amount: -7200 }]);

});

const notesOf = (invoiceId: string) =>
  ledger.testDb.db('credit_notes').where({ invoice_id: invoiceId }).orderBy('number').select('number', 'reason', 'to', 'net', 'tax', 'total', 'tax_rate_bp');

test('a partial refund is a credit note of the amount refunded, its VAT the fraction bp ÷ (10000 + bp) of it; the rest completes the invoice to the cent', async () => {
  const teamId = 'team-partial-de';
  await ledger.billing.ensureTeam({ teamId, name: 'Partial GmbH', billingCountry: 'DE' });
  const invoice = await issue(teamId, '2026-05-20', [period(10)], 'subscribe'); // X1: 12000 + 2280 = 14280
  const paid = await ledger.billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  const part = { key: `${teamId}:goodwill:1`, paymentId: paid.paymentId!, amount: 5000, at: '2026-05-21T00:00:00Z' };
  await ledger.billing.refundPayment(part);
  const counter = await sequence('CN', 2026);
  await ledger.billing.refundPayment(part); // retried: no second note, no number taken
  expect(await sequence('CN', 2026)).toBe(counter);
  // 5000 × 1900 ÷ 11900 = 798.32 → 798 VAT, 4202 net.
  expect(await notesOf(invoice.invoiceId)).toEqual([{ number: expect.stringMatching(/^CN-2026-\d{6}$/), reason: 'refund', to: 'card', net: -4202, tax: -798, total: -5000, tax_rate_bp: 1900 }]);
  await ledger.billing.refundPayment({ key: `${teamId}:goodwill:2`, paymentId: paid.paymentId!, at: '2026-05-22T00:00:00Z' }); // the rest, 9280
  const notes = await notesOf(invoice.invoiceId);
  expect(notes[1]).toMatchObject({ net: -7798, tax: -1482, total: -9280 });
  expect(notes.reduce((sum, note) => [sum[0]! + note.net, sum[1]! + note.tax], [0, 0])).toEqual([-12000, -2280]);
  const [line] = await ledger.testDb.db('credit_note_lines').join('credit_notes', 'credit_notes.id', 'credit_note_lines.credit_note_id')
    .where({ 'credit_notes.number': notes[0]!.number }).select('kind', 'description', 'credit_note_lines.amount');
  expect(line).toEqual({ kind: 'period', description: `Part of invoice ${invoice.number} given back`, amount: -4202 });
  // Nothing is left to credit: a refund beyond the invoice is refused before any money moves.
  await expect(ledger.billing.refundPayment({ key: `${teamId}:goodwill:3`, paymentId: paid.paymentId!, amount: 1, at: '2026-05-22T00:00:00Z' })).rejects.toThrow(/exceeds/);
});

test('untaxed, a partial refund is a credit note of its amount alone, tax 0', async () => {
  const teamId = 'team-partial';
  await ledger.billing.ensureTeam({ teamId, name: 'Partial', billingCountry: 'US' });
  const invoice = await issue(teamId, '2026-05-20', [period(1)], 'subscribe');
  const paid = await ledger.billing.collectInvoice({ invoiceId: invoice.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  await ledger.billing.refundPayment({ key: 'partial:1', paymentId: paid.paymentId!, amount: 200, at: '2026-05-21T00:00:00Z' });
  await ledger.billing.refundPayment({ key: 'partial:2', paymentId: paid.paymentId!, at: '2026-05-21T00:00:00Z' });
  expect((await notesOf(invoice.invoiceId)).map((note) => [note.net, note.tax, note.total])).toEqual([[-200, 0, -200], [-1000, 0, -1000]]);
});

/** X3's team: 10 members subscribed 2026-05-20, one removed (1197 to the balance), renewed 2026-06-20 for 9: 12852, 1197 from the balance, 11655 by card. */
async function x3Renewal(teamId: string) {
  await ledger.billing.ensureTeam({ teamId, name: `${teamId} GmbH`, billingCountry: 'DE' });
  const subscribed = await issue(teamId, '2026-05-20', [period(10)], 'subscribe');
  await ledger.billing.collectInvoice({ invoiceId: subscribed.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-05-20T00:00:01Z' });
  await ledger.billing.creditTeamBalance({ key: `${teamId}:renewal:2026-06-20:member_removed`, teamId, amount: 1006, reason: 'member_removed', on: '2026-06-20' });
  const renewal = await issue(teamId, '2026-06-20', [period(9)]);
  const paid = await ledger.billing.collectInvoice({ invoiceId: renewal.invoiceId, attempt: 1, paymentMethod: visa, at: '2026-06-20T00:00:01Z' });
  return { renewal, paid };
}

test('a refund of an invoice whose card was refunded in part before credits the card\'s rest and then the balance it used, adding up to the invoice', async () => {
  const teamId = 'team-partial-then-whole';
  const { renewal, paid } = await x3Renewal(teamId);
  await ledger.billing.refundPayment({ key: `${teamId}:goodwill`, paymentId: paid.paymentId!, amount: 1000, at: '2026-06-21T00:00:00Z' });
  const refund = { key: `${renewal.invoiceId}:refund`, invoiceId: renewal.invoiceId, at: '2026-06-22T00:00:00Z' };
  await expect(ledger.billing.refundInvoice(refund)).resolves.toMatchObject({ amount: 10655, balanceReturned: 1197 });
  await ledger.billing.refundInvoice(refund); // retried: nothing twice
  const notes = await notesOf(renewal.invoiceId);
  expect(notes.map((note) => [note.to, note.total])).toEqual([['card', -1000], ['card', -10655], ['balance', -1197]]);
  expect(notes.reduce((sum, note) => [sum[0]! + note.net, sum[1]! + note.tax], [0, 0])).toEqual([-10800, -2052]);
});

test('a whole refund after a removed member\'s credit note gives back the rest alone: 12852 − 1197 = 11655 to the card, the balance keeps the 1197, notes add up to the invoice', async () => {
  const teamId = 'team-removed-then-refunded';
  const { renewal, paid } = await x3Renewal(teamId);
  // A member leaves on 2026-06-25: 1006 + 191 VAT credited on the renewal, to the balance.
  await ledger.billing.creditTeamBalance({ key: `${teamId}:member_review:2026-06-25:member_removed`, teamId, amount: 1006, reason: 'member_removed', on: '2026-06-25' });
  const refund = { key: `${renewal.invoiceId}:refund`, invoiceId: renewal.invoiceId, at: '2026-06-26T00:00:00Z' };
  // left = 12852 − 1197 = 11655: the card part, all of it; nothing of the balance part (1197) is left to give back.
  await expect(ledger.billing.refundInvoice(refund)).resolves.toMatchObject({ paymentId: paid.paymentId, amount: 11655, balanceReturned: 0, creditsReturned: 0 });
  await ledger.billing.refundInvoice(refund); // retried: nothing twice
  const notes = await notesOf(renewal.invoiceId);
  expect(notes.map((note) => [note.reason, note.to, note.net, note.tax, note.total])).toEqual([
    ['member_removed', 'balance', -1006, -191, -1197],
    ['refund', 'card', -9794, -1861, -11655],
  ]);
  expect(notes.reduce((sum, note) => sum + note.total, 0)).toBe(-renewal.total);
  expect(await ledger.testDb.db('payments').where({ id: paid.paymentId }).first('amount', 'refunded_amount')).toEqual({ amount: 11655, refunded_amount: 11655 });
  const balance = (await ledger.testDb.db('balance_transactions').where({ team_id: teamId }).orderBy('id').select('reason', 'amount')) as { reason: string; amount: number }[];
  expect(balance.map((row) => [row.reason, Number(row.amount)])).toEqual([['member_removed', 1197], ['invoice_payment', -1197], ['member_removed', 1197]]);
});

test('the migration numbers the invoices written before it in issue order, and the sequence goes on after them', async () => {
  const before = await createTestDatabase({ migrate: false });
  const { db } = before;
  try {
    await db.migrate.latest();
    await db.migrate.down({ name: '20261201_022_tax_documents' });
    await db('teams').insert({ id: 'team-old', name: 'Old' });
    const old = (id: string, issued_on: string) => ({ id, team_id: 'team-old', idempotency_key: id, reason: 'renewal', status: 'paid', issued_on, total: 1200, charged: 1200 });
    await db('invoices').insert([old('b', '2026-03-01'), old('a', '2026-02-01'), old('c', '2025-12-01')]);
    await db.migrate.latest();
    expect(await db('invoices').orderBy('id').select('id', 'number', 'net', 'tax', 'total')).toEqual([
      { id: 'a', number: 'INV-2026-000001', net: 1200, tax: 0, total: 1200 },
      { id: 'b', number: 'INV-2026-000002', net: 1200, tax: 0, total: 1200 },
      { id: 'c', number: 'INV-2025-000001', net: 1200, tax: 0, total: 1200 },
    ]);
    const activities = createBillingActivities({ db, payments: { sandbox: createSandboxProvider({ db }) } });
    const next = await activities.issueInvoice({
      key: 'team-old:renewal:2026-04-01', teamId: 'team-old', reason: 'renewal', issuedOn: '2026-04-01', lines: [period(1)], workflowId: 'w', runId: 'r', at: '2026-04-01T00:00:00Z',
    });
    expect(next.number).toBe('INV-2026-000003');
  } finally {
    await before.drop();
  }
});
