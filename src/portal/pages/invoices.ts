// The invoices: each with its lines, how it was paid (team balance, credits, card) and a PDF.
import { formatRate, REVERSE_CHARGE_NOTE } from '../../domain';
import { day, isoDay, money, reasonName } from '../format';
import { html, type Html } from '../html';
import { page } from '../layout';
import type { CreditNoteDetail, DocumentTax } from '../documents';
import { creditNotesSection } from './credit-notes';
import type { Viewer } from '../viewer';
import { linesTable } from './tables';

export interface InvoiceSummary {
  id: string;
  number: string;
  reason: string;
  status: string;
  currency: string;
  issuedOn: string;
  /** Invoice first: payable through this day. */
  dueOn?: string | null;
  purchaseOrder?: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  net: number;
  tax: number;
  total: number;
  balanceApplied: number;
  creditsApplied: number;
  charged: number;
}

export interface PaymentRow {
  id: string;
  provider: string;
  method: string | null;
  amount: number;
  status: string;
  refundedAmount: number;
  paidAt: string;
}

export interface InvoiceDetail extends InvoiceSummary, DocumentTax {
  lines: { description: string; amount: number }[];
  payments: PaymentRow[];
}

const STATUS: Record<string, string> = { paid: 'Paid', open: 'Payment due', failed: 'Not paid', void: 'Void' };

export function invoicesPage(viewer: Viewer, invoices: InvoiceDetail[], more: boolean, creditNotes: readonly CreditNoteDetail[] = []): Html {
  return page(viewer, '/portal/invoices', 'Invoices', html`
${invoices.length === 0 ? html`<p>No invoices yet. They appear here as soon as anything is charged.</p>` : null}
<ol class="invoices" aria-label="Invoices, newest first">${invoices.map((invoice) => html`<li>${invoiceCard(invoice)}</li>`)}</ol>
${more ? html`<p class="muted">Older invoices are kept too; ask us if you need one of them.</p>` : null}
${creditNotesSection(creditNotes)}`);
}

function invoiceCard(invoice: InvoiceDetail): Html {
  const headingId = `inv-${invoice.id}`;
  return html`<article class="panel invoice" aria-labelledby="${headingId}" data-invoice="${invoice.id}">
  <header class="invoice-head">
    <h2 id="${headingId}"><span data-testid="invoice-number">${invoice.number}</span> · ${reasonName(invoice.reason)} · <time datetime="${isoDay(invoice.issuedOn)}">${day(invoice.issuedOn)}</time></h2>
    <p><span class="badge badge-${invoice.status}">${STATUS[invoice.status] ?? invoice.status}</span> <strong class="amount">${money(invoice.total, invoice.currency)}</strong></p>
  </header>
  ${invoice.periodStart && invoice.periodEnd ? html`<p class="muted">For ${day(invoice.periodStart)} to ${day(invoice.periodEnd)}</p>` : null}
  <details>
    <summary>Lines and payment</summary>
    ${linesTable(`Invoice ${invoice.number} of ${day(invoice.issuedOn)}`, invoice.lines, invoice.total, invoice.currency, { net: invoice.net, label: taxLabel(invoice), amount: invoice.tax })}
    ${invoice.taxTreatment === 'reverse_charge' ? html`<p class="muted">${REVERSE_CHARGE_NOTE}</p>` : null}
    ${howPaid(invoice)}
  </details>
  <p><a class="button secondary" href="/portal/invoices/${invoice.id}/pdf" download>Download PDF<span class="visually-hidden"> of the invoice of ${day(invoice.issuedOn)}</span></a></p>
</article>`;
}

/** `VAT 19% (DE)`, `VAT 0% (FR), reverse charge`, `VAT: not charged`: as the PDF says it. */
export function taxLabel(document: Pick<InvoiceDetail, 'taxTreatment' | 'taxRateBasisPoints' | 'taxCountry'>): string {
  const where = document.taxCountry ? ` (${document.taxCountry})` : '';
  if (document.taxTreatment === 'reverse_charge') return `VAT 0%${where}, reverse charge`;
  if (document.taxTreatment === 'untaxed') return 'VAT: not charged';
  return `VAT ${formatRate(document.taxRateBasisPoints)}${where}`;
}

function howPaid(invoice: InvoiceDetail): Html {
  const parts: Html[] = [];
  if (invoice.balanceApplied) parts.push(html`<li>${money(invoice.balanceApplied, invoice.currency)} from your team balance</li>`);
  if (invoice.creditsApplied) parts.push(html`<li>${money(invoice.creditsApplied, invoice.currency)} from credits</li>`);
  for (const payment of invoice.payments) {
    parts.push(html`<li>${money(payment.amount, invoice.currency)} by ${payment.method ?? 'card'} (${payment.provider}) on ${day(payment.paidAt)}${
      payment.refundedAmount ? html`, ${money(payment.refundedAmount, invoice.currency)} refunded` : null}</li>`);
  }
  if (parts.length === 0) parts.push(html`<li>${invoice.status === 'paid' ? 'Nothing to pay' : 'Not paid yet'}</li>`);
  return html`<h3>How it was paid</h3><ul class="paid">${parts}</ul>`;
}
