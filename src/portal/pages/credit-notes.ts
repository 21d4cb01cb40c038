// Credit notes (section 13) beside the invoices: each with the invoice it corrects, where the money went, and a PDF.
import { creditReasonName, day, isoDay, money } from '../../documents/format';
import { html, type Html } from '../html';
import type { CreditNoteDetail } from '../../documents/types';

const WENT_TO: Record<CreditNoteDetail['to'], string> = { card: 'to the card', balance: 'to your team balance' };

export function creditNotesSection(notes: readonly CreditNoteDetail[]): Html | null {
  if (notes.length === 0) return null;
  return html`<section aria-labelledby="credit-notes-h" class="panel">
  <h2 id="credit-notes-h">Credit notes</h2>
  <p class="muted">Money given back on an invoice: each credit note corrects the invoice it names.</p>
  <table data-testid="credit-notes">
    <caption class="visually-hidden">Credit notes, newest first</caption>
    <thead><tr><th scope="col">Number</th><th scope="col">Issued</th><th scope="col">Corrects</th><th scope="col">Why</th><th scope="col" class="num">Total</th><th scope="col">PDF</th></tr></thead>
    <tbody>${notes.map((note) => html`<tr data-credit-note="${note.id}">
      <th scope="row">${note.number}</th>
      <td><time datetime="${isoDay(note.issuedOn)}">${day(note.issuedOn)}</time></td>
      <td>${note.invoiceNumber}</td>
      <td>${note.status === 'void' ? `${creditReasonName(note.reason)}, void since ${day(note.voidedOn ?? note.issuedOn)}: the change was refused, nothing given back` : `${creditReasonName(note.reason)}, ${WENT_TO[note.to]}`}</td>
      <td class="num">${money(note.total, note.currency)}</td>
      <td><a href="/portal/credit-notes/${note.id}/pdf" download>Download PDF<span class="visually-hidden"> of credit note ${note.number}</span></a></td>
    </tr>`)}</tbody>
  </table>
</section>`;
}
