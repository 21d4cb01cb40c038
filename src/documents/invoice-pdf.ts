// Invoices and credit notes as PDFs, drawn with pdfkit (sandbox mode; with Stripe the invoice page links Stripe's
// hosted receipt instead). What section 13 requires on each: both parties (legal name, address, country, tax ID),
// the number, the lines, net, the one tax line with its rate, the total, the reverse-charge mention, and how it was
// paid (an invoice) or where the money went (a credit note, with the invoice it corrects).
import PDFDocument from 'pdfkit';
import { creditNoteParts, REVERSE_CHARGE_NOTE, type BillingParty } from '../domain';
import { creditReasonName, day, money as documentMoney, reasonName, taxLabel } from './format';
import type { CreditNoteDetail, DocumentTax, InvoiceDetail } from './types';


// The PDF's standard fonts have no U+2212 minus sign: amounts there take the ASCII hyphen-minus.
const money = (cents: number, currency: string) => documentMoney(cents, currency).replace('\u2212', '-');

const STATUS: Record<string, string> = { paid: 'Paid', open: 'Payment due', failed: 'Not paid', void: 'Void' };
export function invoicePdf(invoice: InvoiceDetail, teamName: string): Promise<Buffer> {
  return drawn(`Invoice ${invoice.number}`, teamName, (pdf) => {
    pdf.heading('Invoice', [
      `Number ${invoice.number}`, `Issued ${day(invoice.issuedOn)}`, `Status ${STATUS[invoice.status] ?? invoice.status}`,
      // Invoice first (section 7): payable through its due day, against the buyer's purchase order if they gave one.
      ...(invoice.dueOn ? [`Due ${day(invoice.dueOn)}`] : []),
      ...(invoice.purchaseOrder ? [`Purchase order ${invoice.purchaseOrder}`] : []),
      ...(invoice.periodStart && invoice.periodEnd ? [`Period ${day(invoice.periodStart)} to ${day(invoice.periodEnd)}`] : []),
    ]);
    pdf.parties(invoice, teamName);
    pdf.lines(reasonName(invoice.reason), invoice.lines, invoice);
    const cur = invoice.currency;
    pdf.section('How it was paid');
    if (invoice.balanceApplied) pdf.row('Paid from team balance', money(invoice.balanceApplied, cur));
    if (invoice.creditsApplied) pdf.row('Paid with credits', money(invoice.creditsApplied, cur));
    // A voided invoice that was paid says what its card paid (its credit note gives it back); an unpaid one what is due.
    pdf.row(invoice.status === 'paid' || invoice.payments.length > 0 ? 'Charged to card' : 'Amount due', money(invoice.charged, cur), true);
    for (const payment of invoice.payments) {
      pdf.row(`${day(payment.paidAt)} · ${payment.method ?? 'card'} (${payment.provider})${payment.refundedAmount ? `, ${money(payment.refundedAmount, cur)} refunded` : ''}`, money(payment.amount, cur));
    }
  });
}

export function creditNotePdf(note: CreditNoteDetail, teamName: string): Promise<Buffer> {
  return drawn(`Credit note ${note.number}`, teamName, (pdf) => {
    pdf.heading('Credit note', [
      `Number ${note.number}`, `Issued ${day(note.issuedOn)}`, `Corrects invoice ${note.invoiceNumber}`, `Reason ${creditReasonName(note.reason)}`,
      ...(note.status === 'void' && note.voidedOn ? [`Void since ${day(note.voidedOn)}`] : []),
    ]);
    pdf.parties(note, teamName);
    pdf.lines('Credited', note.lines, note);
    pdf.section('Where the money went');
    const cur = note.currency;
    if (note.status === 'void') return pdf.row('Nothing: the change it was issued for was refused, and its credit taken back out of the balance', money(0, cur), true);
    if (note.reason !== 'refund') return pdf.row('Added to the team balance, used first by the next invoices', money(-note.total, cur), true);
    const went = creditNoteParts(note, { balance: note.invoiceBalanceApplied, credits: note.invoiceCreditsApplied, card: note.invoiceCharged });
    if (went.card) pdf.row('Refunded to the card it was paid with', money(went.card, cur), true);
    if (went.balance) pdf.row('Back to the team balance', money(went.balance, cur));
    if (went.credits) pdf.row('Back to the credits it was paid with', money(went.credits, cur));
  });
}

type Drawing = ReturnType<typeof drawing>;

function drawn(title: string, teamName: string, draw: (pdf: Drawing) => void): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: title, Author: teamName } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  draw(drawing(doc));
  doc.end();
  return done;
}

function drawing(doc: PDFKit.PDFDocument) {
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const row = (label: string, amount: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(11).fillColor('#000').text(label, left, y, { width: right - left - 120 });
    const after = doc.y;
    doc.text(amount, right - 110, y, { width: 110, align: 'right' });
    doc.y = Math.max(after, doc.y) + 4;
  };
  const section = (title: string) => {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(12).fillColor('#000').text(title, left, doc.y);
    doc.moveDown(0.3);
  };
  const party = (title: string, party: BillingParty | null, fallbackName: string, x: number, y: number) => {
    doc.font('Helvetica-Bold').fontSize(10).fillColor('#000').text(title, x, y, { width: (right - left) / 2 - 12 });
    doc.font('Helvetica').fillColor('#333');
    const lines = [party?.legalName ?? fallbackName, ...(party?.address ? party.address.split('\n') : []), party?.country ?? '',
      party?.taxId ? `VAT ID ${party.taxId}` : ''].filter((line) => line !== '');
    for (const line of lines) doc.text(line, x, doc.y, { width: (right - left) / 2 - 12 });
    return doc.y;
  };
  return {
    row,
    section,
    heading(title: string, facts: string[]) {
      doc.font('Helvetica-Bold').fontSize(22).fillColor('#000').text(title);
      doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#444');
      for (const fact of facts) doc.text(fact);
    },
    parties(document: DocumentTax, teamName: string) {
      doc.moveDown(1);
      const top = doc.y;
      const sellerBottom = party('From', document.seller, 'seatbill', left, top);
      const buyerBottom = party('Billed to', document.buyer, teamName, left + (right - left) / 2, top);
      doc.x = left;
      doc.y = Math.max(sellerBottom, buyerBottom);
    },
    /** The lines, net, the tax line and the total; a reverse charge says so, with both tax IDs shown above. */
    lines(title: string, lines: { description: string; amount: number }[], document: DocumentTax) {
      const cur = document.currency;
      section(title);
      for (const line of lines) row(line.description, money(line.amount, cur));
      doc.moveTo(left, doc.y).lineTo(right, doc.y).strokeColor('#999').stroke();
      doc.moveDown(0.4);
      row('Net', money(document.net, cur));
      row(taxLabel(document), money(document.tax, cur));
      row('Total', money(document.total, cur), true);
      if (document.taxTreatment === 'reverse_charge') {
        doc.moveDown(0.5).font('Helvetica-Oblique').fontSize(10).fillColor('#000').text(REVERSE_CHARGE_NOTE, left, doc.y);
      }
    },
  };
}
