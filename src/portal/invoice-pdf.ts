// An invoice as a PDF, drawn with pdfkit (sandbox mode; with Stripe the page links Stripe's hosted receipt instead).
import PDFDocument from 'pdfkit';
import { day, money, reasonName } from './format';
import type { InvoiceDetail } from './pages/invoices';

const STATUS: Record<string, string> = { paid: 'Paid', open: 'Payment due', failed: 'Not paid', void: 'Void' };

export function invoicePdf(invoice: InvoiceDetail, teamName: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `Invoice ${invoice.id}`, Author: teamName } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const cur = invoice.currency;
  const left = doc.page.margins.left;
  const right = doc.page.width - doc.page.margins.right;
  const row = (label: string, amount: string, bold = false) => {
    const y = doc.y;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(11).text(label, left, y, { width: right - left - 120 });
    const after = doc.y;
    doc.text(amount, right - 110, y, { width: 110, align: 'right' });
    doc.y = Math.max(after, doc.y) + 4;
  };

  doc.font('Helvetica-Bold').fontSize(22).text('Invoice');
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#444')
    .text(`Number ${invoice.id}`)
    .text(`Issued ${day(invoice.issuedOn)}`)
    .text(`Billed to ${teamName}`)
    .text(`Status ${STATUS[invoice.status] ?? invoice.status}`);
  if (invoice.periodStart && invoice.periodEnd) doc.text(`Period ${day(invoice.periodStart)} to ${day(invoice.periodEnd)}`);
  doc.fillColor('#000').moveDown(1).font('Helvetica-Bold').fontSize(13).text(reasonName(invoice.reason));
  doc.moveDown(0.5);
  for (const line of invoice.lines) row(line.description, money(line.amount, cur));
  doc.moveTo(left, doc.y).lineTo(right, doc.y).strokeColor('#999').stroke();
  doc.moveDown(0.4);
  row('Total', money(invoice.total, cur), true);
  if (invoice.balanceApplied) row('Paid from team balance', money(-invoice.balanceApplied, cur));
  if (invoice.creditsApplied) row('Paid with credits', money(-invoice.creditsApplied, cur));
  row(invoice.status === 'paid' ? 'Charged to card' : 'Amount due', money(invoice.charged, cur), true);
  if (invoice.payments.length > 0) {
    doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text('Payments');
    for (const payment of invoice.payments) {
      row(`${day(payment.paidAt)} · ${payment.method ?? 'card'} (${payment.provider})${payment.refundedAmount ? `, ${money(payment.refundedAmount, cur)} refunded` : ''}`, money(payment.amount, cur));
    }
  }
  doc.end();
  return done;
}
