// Line tables shared by the plan page (upcoming invoice) and the invoice pages.
import { money } from '../../documents/format';
import { html, type Html } from '../html';

export interface Line {
  description: string;
  amount: number;
}

/** The lines, then (when given) net and the one tax line of section 13, then the total. */
export function linesTable(caption: string, lines: readonly Line[], total: number, currency = 'usd', tax?: { net: number; label: string; amount: number }): Html {
  return html`<table class="lines">
  <caption>${caption}</caption>
  <thead><tr><th scope="col">Item</th><th scope="col" class="num">Amount</th></tr></thead>
  <tbody>${lines.map((line) => html`<tr><td>${line.description}</td><td class="num">${money(line.amount, currency)}</td></tr>`)}</tbody>
  <tfoot>${tax ? html`<tr><th scope="row">Net</th><td class="num">${money(tax.net, currency)}</td></tr>
  <tr data-testid="tax"><th scope="row">${tax.label}</th><td class="num">${money(tax.amount, currency)}</td></tr>` : null}
  <tr><th scope="row">Total</th><td class="num total">${money(total, currency)}</td></tr></tfoot>
</table>`;
}
