import { createBillingActivities, type BillingActivities, type InvoiceLineInput } from '../../src/activities';
import { setBillingDetails } from '../../src/billing-details/billing-details';
import { taxIdValidator } from '../../src/billing-details/tax-ids';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { ApiHarness } from '../support/api-harness';

// The accountant's exports reconcile with the ledger: every numbered document of the month once, its amounts and
// how it was paid adding up to the ledger's invoices, payments, refunds and credit notes; the quarter's tax per
// country and rate is the invoices' tax less the credit notes'.
let api: ApiHarness;
let billing: BillingActivities;
const visa = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;

beforeAll(async () => {
  api = await ApiHarness.start();
  billing = createBillingActivities({ db: api.db, payments: { sandbox: createSandboxProvider({ db: api.db }) } });
  const team = async (teamId: string, country: string, taxId: string | null = null) => {
    await billing.ensureTeam({ teamId, name: teamId, billingCountry: country });
    expect((await setBillingDetails(api.db, taxIdValidator(), teamId, { legalName: `${teamId} Ltd`, address: '', country, taxId })).ok).toBe(true);
  };
  const line = (amount: number): InvoiceLineInput => ({ kind: 'period', description: 'Basic', amount });
  const issue = (teamId: string, on: string, amount: number) => billing.issueInvoice({
    key: `${teamId}:renewal:${on}`, teamId, reason: 'renewal', issuedOn: on, lines: [line(amount)], workflowId: 'w', runId: 'r', at: `${on}T08:00:00Z`,
  });
  const pay = (invoiceId: string, on: string) => billing.collectInvoice({ invoiceId, attempt: 1, paymentMethod: visa, at: `${on}T08:00:01Z` });

  await team('exp-de', 'DE');
  await billing.grantTeamCredits({ key: 'exp-de:credits', teamId: 'exp-de', amount: 3000, acquiredAt: '2026-10-01T00:00:00Z', source: 'referral' });
  await pay((await issue('exp-de', '2026-11-02', 12000)).invoiceId, '2026-11-02'); // 12000 + 2280: credits 3000, card 11280
  await billing.creditTeamBalance({ key: 'exp-de:renewal:2026-12-02:member_removed', teamId: 'exp-de', amount: 1006, reason: 'member_removed', on: '2026-12-02' });

  await team('exp-fr', 'FR', 'FR40303265045');
  const fr = await pay((await issue('exp-fr', '2026-11-05', 12000)).invoiceId, '2026-11-05'); // reverse charge
  await billing.refundPayment({ key: 'exp-fr:renewal:2026-11-05:refund', paymentId: fr.paymentId!, at: '2026-11-06T10:00:00Z' });

  await team('exp-at', 'AT'); // 10000 + 20% = 12000, half of it refunded: 6000 = 5000 + 1000 VAT given back, all to the card
  const at = await pay((await issue('exp-at', '2026-11-12', 10000)).invoiceId, '2026-11-12');
  await billing.refundPayment({ key: 'exp-at:goodwill', paymentId: at.paymentId!, amount: 6000, at: '2026-11-13T10:00:00Z' });

  await team('exp-us', 'US');
  await pay((await issue('exp-us', '2026-11-10', 3600)).invoiceId, '2026-11-10');
  await issue('exp-us', '2026-11-20', 1200); // open: not paid yet

  await team('exp-it', 'IT'); // 10000 + 22% = 12200: credits 2000, card 10200; voided (issued in error) the next day
  await billing.grantTeamCredits({ key: 'exp-it:credits', teamId: 'exp-it', amount: 2000, acquiredAt: '2026-10-01T00:00:00Z', source: 'referral' });
  const it = await issue('exp-it', '2026-11-16', 10000);
  await pay(it.invoiceId, '2026-11-16');
  await billing.voidPaidInvoice({ invoiceId: it.invoiceId, at: '2026-11-17T10:00:00Z' });

  // 10000 + 21% = 12100; a removed member's 1000 (+ 210 VAT) credited for a plan change the provider refused, then
  // taken back: its credit note is void, listed with its number, counting in no sum of what was given back.
  await team('exp-es', 'ES');
  await pay((await issue('exp-es', '2026-11-03', 10000)).invoiceId, '2026-11-03');
  await billing.creditTeamBalance({ key: 'exp-es:plan_change:2026-11-20:member_removed', teamId: 'exp-es', amount: 1000, reason: 'member_removed', on: '2026-11-20' });
  await billing.reverseTeamBalanceCredit({ key: 'exp-es:plan_change:2026-11-20:member_removed', on: '2026-11-20' });

  await team('exp-nl', 'NL');
  await pay((await issue('exp-nl', '2026-10-15', 1200)).invoiceId, '2026-10-15'); // Q4, not November
}, 120_000);
afterAll(() => api?.teardown(), 60_000);

const cents = (decimal: string) => Number(decimal.replace('.', ''));
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const ledgerSum = async (query: Promise<{ total: string | null }[]>) => Number((await query)[0]?.total ?? 0);

test('the month\'s documents as CSV: each numbered document once, summing to the ledger\'s invoices, payments, refunds and credit notes', async () => {
  const res = await api.call(api.platform(), 'get', '/v1/exports/documents?month=2026-11').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  const [header, ...lines] = (res.text as string).trim().split('\r\n');
  expect(header).toBe('number,kind,date,customer,country,tax_id,net,tax,total,currency,paid_by_balance,paid_with_credits,paid_by_card,status');
  const rows = lines.map((line) => {
    const [number, kind, date, customer, country, taxId, net, tax, total, currency, balance, credits, card, status] = line.split(',') as string[];
    return { number, kind, date, customer, country, taxId, net: cents(net!), tax: cents(tax!), total: cents(total!), currency, balance: cents(balance!), credits: cents(credits!), card: cents(card!), status };
  });
  const { db } = api;
  const november = (table: string) => db(table).where('issued_on', '>=', '2026-11-01').where('issued_on', '<', '2026-12-01');
  const invoices = rows.filter((row) => row.kind === 'invoice');
  const notes = rows.filter((row) => row.kind === 'credit_note');
  expect(invoices.map((row) => row.number).sort()).toEqual((await november('invoices').pluck('number')).sort());
  expect(notes.map((row) => row.number).sort()).toEqual((await november('credit_notes').pluck('number')).sort());
  expect(sum(invoices.map((row) => row.total))).toBe(await ledgerSum(november('invoices').sum({ total: 'total' })));
  expect(sum(invoices.map((row) => row.tax))).toBe(await ledgerSum(november('invoices').sum({ total: 'tax' })));
  expect(sum(notes.map((row) => row.total))).toBe(await ledgerSum(november('credit_notes').sum({ total: 'total' })));
  const paidInNovember = db('payments').whereIn('invoice_id', november('invoices').select('id'));
  expect(sum(invoices.map((row) => row.card))).toBe(await ledgerSum(paidInNovember.clone().sum({ total: 'amount' })));
  expect(sum(notes.map((row) => row.card))).toBe(-(await ledgerSum(db('payment_refunds').whereIn('payment_id', paidInNovember.clone().select('id')).sum({ total: 'amount' }))));
  for (const row of rows) expect(row.total).toBe(row.net + row.tax);
  for (const row of rows.filter((r) => r.status === 'paid' || (r.kind === 'credit_note' && r.status !== 'voided'))) expect(row.balance + row.credits + row.card).toBe(row.total);
  expect(rows.find((row) => row.customer === 'exp-de Ltd' && row.kind === 'invoice')).toMatchObject({ country: 'DE', net: 12000, tax: 2280, credits: 3000, card: 11280, currency: 'USD' });
  expect(notes).toEqual([
    expect.objectContaining({ customer: 'exp-fr Ltd', country: 'FR', taxId: 'FR40303265045', net: -12000, tax: 0, total: -12000, card: -12000, status: 'refund' }),
    // A partial refund: its own amount, all to the card, never the invoice's whole split.
    expect.objectContaining({ customer: 'exp-at Ltd', country: 'AT', net: -5000, tax: -1000, total: -6000, balance: 0, credits: 0, card: -6000, status: 'refund' }),
    // The void of a paid invoice: all of it, each part back the way it was paid.
    expect.objectContaining({ customer: 'exp-it Ltd', country: 'IT', net: -10000, tax: -2200, total: -12200, balance: 0, credits: -2000, card: -10200, status: 'void' }),
    // The refused change's note: its number kept, nothing given back.
    expect.objectContaining({ customer: 'exp-es Ltd', country: 'ES', net: -1000, tax: -210, total: -1210, balance: 0, credits: 0, card: 0, status: 'voided' }),
  ]);
  // The voided invoice keeps its number and shows how it was paid; its note gives that back.
  expect(invoices.find((row) => row.customer === 'exp-it Ltd')).toMatchObject({ status: 'void', net: 10000, tax: 2200, total: 12200, balance: 0, credits: 2000, card: 10200 });
  expect(invoices.find((row) => row.date === '2026-11-20')).toMatchObject({ status: 'open', total: 1200, card: 0 });
});

test('the quarter\'s tax per country and rate: the invoices\' tax less the credit notes\', reconciling with the ledger', async () => {
  const res = await api.call(api.platform(), 'get', '/v1/exports/tax?quarter=2026-Q4').expect(200);
  expect(res.body).toMatchObject({ from: '2026-10-01', to: '2026-12-31' });
  expect(res.body.lines).toEqual([
    { country: 'AT', treatment: 'standard', rateBasisPoints: 2000, rate: '20%', net: 10000 - 5000, tax: 2000 - 1000, invoices: 1, creditNotes: 1 },
    { country: 'DE', treatment: 'standard', rateBasisPoints: 1900, rate: '19%', net: 12000 - 1006, tax: 2280 - 191, invoices: 1, creditNotes: 1 },
    { country: 'ES', treatment: 'standard', rateBasisPoints: 2100, rate: '21%', net: 10000, tax: 2100, invoices: 1, creditNotes: 0 }, // its note void
    { country: 'FR', treatment: 'reverse_charge', rateBasisPoints: 0, rate: '0%', net: 0, tax: 0, invoices: 1, creditNotes: 1 },
    { country: 'IT', treatment: 'standard', rateBasisPoints: 2200, rate: '22%', net: 10000 - 10000, tax: 2200 - 2200, invoices: 1, creditNotes: 1 },
    { country: 'NL', treatment: 'standard', rateBasisPoints: 2100, rate: '21%', net: 1200, tax: 252, invoices: 1, creditNotes: 0 },
    { country: 'US', treatment: 'untaxed', rateBasisPoints: 0, rate: '0%', net: 4800, tax: 0, invoices: 2, creditNotes: 0 },
  ]);
  const quarter = (table: string) => api.db(table).where('issued_on', '>=', '2026-10-01').where('issued_on', '<', '2027-01-01');
  // Invoices voided unpaid were never owed; one voided once paid is owed, and its void credit note takes it back.
  const owed = quarter('invoices').where((q) => q.whereNot({ status: 'void' }).orWhereExists(api.db('credit_notes').whereRaw('credit_notes.invoice_id = invoices.id')));
  const ledgerTax = (await ledgerSum(owed.sum({ total: 'tax' }))) + (await ledgerSum(quarter('credit_notes').where({ status: 'issued' }).sum({ total: 'tax' })));
  expect(res.body.tax).toBe(ledgerTax);
  expect(res.body.tax).toBe(sum(res.body.lines.map((line: { tax: number }) => line.tax)));
});

test('a malformed period is a 400 naming it; only the platform exports', async () => {
  const bad = await api.call(api.platform(), 'get', '/v1/exports/documents?month=2026-13').expect(400);
  expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'query.month' })]);
  await api.call(api.platform(), 'get', '/v1/exports/tax?quarter=2026-Q5').expect(400);
  const user = await api.createUser('accountant');
  await api.call(api.withToken(user.token), 'get', '/v1/exports/tax?quarter=2026-Q4').expect(403);
});
