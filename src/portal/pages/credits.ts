// Credits the team holds (each with its expiry), their history, and the team balance kept from refunds.
import { day, isoDay, money } from '../../documents/format';
import { html, type Html } from '../html';
import { page } from '../layout';
import type { Viewer } from '../viewer';

export interface CreditsPageData {
  credits: { balance: number; grants: { grantId: string; remaining: number; expiresAt: string }[] };
  history: { kind: string; amount: number; at: string; invoiceId: string | null }[];
  balance: { balance: number; transactions: { amount: number; reason: string; on: string }[] };
}

const KINDS: Record<string, string> = { acquired: 'Earned', contributed: 'Contributed to the team', used: 'Paid an invoice', expired: 'Expired' };

export function creditsPage(viewer: Viewer, data: CreditsPageData): Html {
  const { credits, history, balance } = data;
  return page(viewer, '/portal/credits', 'Credits and balance', html`
<section aria-labelledby="credits-h" class="panel">
  <h2 id="credits-h">Credits</h2>
  <p class="meter"><strong data-testid="credit-balance">${money(credits.balance)}</strong> of credits, used first on the next invoice.</p>
  ${credits.grants.length > 0 ? html`<table>
    <caption>Credits by expiry date</caption>
    <thead><tr><th scope="col">Expires</th><th scope="col" class="num">Amount left</th></tr></thead>
    <tbody>${credits.grants.map((g) => html`<tr><td><time datetime="${isoDay(g.expiresAt)}">${day(g.expiresAt)}</time></td><td class="num">${money(g.remaining)}</td></tr>`)}</tbody>
  </table>` : null}
</section>
<section aria-labelledby="history-h" class="panel">
  <h2 id="history-h">Credit history</h2>
  ${history.length === 0 ? html`<p>No credits have been added or used yet.</p>` : html`<table>
    <caption>Credit history, newest first</caption>
    <thead><tr><th scope="col">Date</th><th scope="col">What happened</th><th scope="col" class="num">Amount</th></tr></thead>
    <tbody>${history.map((h) => html`<tr><td>${day(h.at)}</td><td>${KINDS[h.kind] ?? h.kind}</td><td class="num">${money(h.amount)}</td></tr>`)}</tbody>
  </table>`}
</section>
<section aria-labelledby="balance-h" class="panel">
  <h2 id="balance-h">Team balance</h2>
  <p class="meter"><strong>${money(balance.balance)}</strong> kept from refunds (for example, removed members), used before credits and the card.</p>
  ${balance.transactions.length > 0 ? html`<table>
    <caption>Balance changes, newest first</caption>
    <thead><tr><th scope="col">Date</th><th scope="col">Reason</th><th scope="col" class="num">Amount</th></tr></thead>
    <tbody>${balance.transactions.map((t) => html`<tr><td>${day(t.on)}</td><td>${t.reason.replace(/_/g, ' ')}</td><td class="num">${money(t.amount)}</td></tr>`)}</tbody>
  </table>` : null}
</section>`);
}
