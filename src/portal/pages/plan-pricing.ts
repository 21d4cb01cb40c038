// The plan page's parts for section 14: the promotion code field (a team holds one coupon at a time) and the
// notice of a published price that reaches the team at a renewal.
import type { TeamSubscriptionView } from '../../workflows/team-subscription-messages';
import { day, isoDay, money, planName } from '../../documents/format';
import { html, type Html } from '../html';

const dateOf = (value: string) => html`<time datetime="${isoDay(value)}">${day(value)}</time>`;

/** The price change the team was told of, until the renewal that takes it. */
export function priceChangeNotice(sub: TeamSubscriptionView): Html | null {
  const change = sub.priceChange;
  if (!change) return null;
  return html`<p class="alert" role="status" data-testid="price-change">The ${planName(change.plan)} price changes from ${money(change.from)} to ${money(change.to)} per member on your renewal of ${dateOf(change.effectiveOn)}.</p>`;
}

/** The coupon held, or a field to redeem a code (refusals say why: expired, used up, another plan, first-time only). */
export function promotionCode(sub: TeamSubscriptionView): Html {
  const held = sub.coupon;
  const off = held ? (held.coupon.percentOff !== null ? `${held.coupon.percentOff}% off` : `${money(held.coupon.amountOff ?? 0)} off`) : '';
  return html`<section aria-labelledby="code-h" class="panel">
  <h2 id="code-h">Promotion code</h2>
  ${held ? html`<p data-testid="coupon">Code ${held.code}: ${off}, redeemed ${dateOf(held.redeemedOn)}.</p>` : null}
  <form class="api inline" data-path="coupon" data-success="The code was applied: your next invoices show the discount.">
    <label for="promotion-code">Code</label>
    <input id="promotion-code" name="code" type="text" maxlength="64" autocomplete="off" required>
    <button type="submit" class="secondary">Apply code</button>
  </form>
</section>`;
}
