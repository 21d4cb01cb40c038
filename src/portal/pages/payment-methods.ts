// The card on file. The sandbox takes Stripe's test cards directly; with Stripe, a card is collected by Stripe's own
// form (Stripe.js and a SetupIntent), which this portal does not embed yet.
import { html, type Html } from '../html';
import { page } from '../layout';
import type { Viewer } from '../viewer';

const TEST_CARDS: readonly { id: string; label: string }[] = [
  { id: 'pm_card_visa', label: 'Visa ending 4242 (pays)' },
  { id: 'pm_card_mastercard', label: 'Mastercard ending 4444 (pays)' },
  { id: 'pm_card_chargeDeclined', label: 'Visa ending 0002 (always declined)' },
  { id: 'pm_card_chargeDeclinedInsufficientFunds', label: 'Visa ending 9995 (insufficient funds)' },
];

export function paymentMethodsPage(viewer: Viewer, input: { hasPaymentMethod: boolean; provider: string }): Html {
  return page(viewer, '/portal/payment-methods', 'Payment methods', html`
<section aria-labelledby="card-h" class="panel">
  <h2 id="card-h">Card on file</h2>
  <p data-testid="card-status">${input.hasPaymentMethod ? 'A card is on file. It pays every invoice from now on.' : 'No card is on file yet.'}</p>
  ${input.hasPaymentMethod ? html`<form class="api" data-method="DELETE" data-path="payment-method" data-confirm="Remove the card on file?" data-success="Your card was removed. Add one before you choose a paid plan again.">
    <button type="submit" class="secondary">Remove the card</button>
  </form>` : null}
</section>
${input.provider === 'sandbox' ? sandboxForm() : html`<section class="panel"><h2>Replace the card</h2>
  <p>Card entry through Stripe is not available in this portal yet. Contact us to change your card.</p></section>`}`);
}

function sandboxForm(): Html {
  return html`<section aria-labelledby="replace-h" class="panel">
  <h2 id="replace-h">Replace the card</h2>
  <p class="muted">This engine runs in sandbox mode: choose one of Stripe's test cards.</p>
  <form class="api" data-path="payment-method" data-fixed='{"provider":"sandbox"}' data-success="Your card was saved. It pays the next invoice.">
    <label for="card">Test card</label>
    <select id="card" name="paymentMethodId">${TEST_CARDS.map((card) => html`<option value="${card.id}">${card.label}</option>`)}</select>
    <button type="submit">Save card</button>
  </form>
</section>`;
}
