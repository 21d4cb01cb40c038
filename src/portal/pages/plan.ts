// The plan page: plan, status, period, a pending change; the upcoming invoice line by line; changing plan (a quote
// first, then a confirmation); cancelling or withdrawing a change; members (seats) used against what is paid for.
import type { TeamMember } from '../../ledger/accounts/directory';
import { freeCapacity, isSoldPerMember, memberPrice, PLANS, type Interval, type Plan, type PriceVersion } from '../../domain';
import type { SeatOrder, TeamSubscriptionView, UpcomingInvoice } from '../../workflows/team-subscription-messages';
import { day, intervalName, isoDay, money, planName, reasonName, statusName } from '../../documents/format';
import { html, type Html } from '../html';
import { page } from '../layout';
import { may, type Viewer } from '../viewer';
import { linesTable } from './tables';
import { priceChangeNotice, promotionCode } from './plan-pricing';

export interface PlanPageData {
  subscription: TeamSubscriptionView;
  upcoming: UpcomingInvoice | null;
  /** Only for viewers allowed the member list (never a billing manager alone). */
  members: TeamMember[] | null;
  /** Whether the API sells seat orders yet. */
  seatOrders: boolean;
  /** The per-member prices in force today (GET /v1/prices): what choosing a plan takes (section 14). */
  prices: PriceVersion[];
}

const dateOf = (value: string) => html`<time datetime="${isoDay(value)}">${day(value)}</time>`;

export function planPage(viewer: Viewer, data: PlanPageData): Html {
  const { subscription: sub } = data;
  const changes = may(viewer, 'change_plan');
  return page(viewer, '/portal/', 'Your plan', html`
${overview(sub, changes)}
${priceChangeNotice(sub)}
${upcoming(data.upcoming)}
${changes ? promotionCode(sub) : null}
${changes && sub.status !== 'past_due' ? changePlan(sub, data.prices) : null}
${changes && sub.plan !== 'free' && sub.pendingChange?.plan !== 'free' ? cancel(sub) : null}
${seats(viewer, data)}`);
}

function overview(sub: TeamSubscriptionView, changes: boolean): Html {
  const pending = sub.pendingChange;
  return html`<section aria-labelledby="overview-h" class="panel">
  <h2 id="overview-h">Current plan</h2>
  <dl class="facts">
    <div><dt>Plan</dt><dd data-testid="plan">${planName(sub.plan)}</dd></div>
    ${sub.plan !== 'free' ? html`<div><dt>Billing</dt><dd>${intervalName(sub.interval)}</dd></div>` : null}
    <div><dt>Status</dt><dd><span class="badge badge-${sub.status}" data-testid="status">${statusName(sub.status)}</span></dd></div>
    ${sub.trial ? html`<div><dt>Trial</dt><dd>${dateOf(sub.trial.start)} to ${dateOf(sub.trial.end)}</dd></div>` : null}
    ${sub.period ? html`<div><dt>Current period</dt><dd>${dateOf(sub.period.start)} to ${dateOf(sub.period.end)}</dd></div>` : null}
  </dl>
  ${sub.dunning ? html`<p class="alert" role="alert">A payment failed on ${dateOf(sub.dunning.firstFailure)}. We will try again on ${dateOf(sub.dunning.nextTryOn)}. <a href="/portal/payment-methods">Update your card</a>.</p>` : null}
  ${pending ? html`<div class="pending">
    <p><strong>Scheduled change:</strong> ${pending.plan === 'free' ? 'your subscription ends and the team moves to Free' : html`${planName(pending.plan)}, billed ${intervalName(pending.interval)}`} on ${dateOf(pending.effectiveOn)}.</p>
    ${changes ? html`<form class="api" data-path="subscription/withdraw-pending-change" data-success="The scheduled change was withdrawn.">
      <button type="submit" class="secondary">Withdraw this change</button></form>` : null}
  </div>` : null}
</section>`;
}

function upcoming(invoice: UpcomingInvoice | null): Html {
  return html`<section aria-labelledby="upcoming-h" class="panel">
  <h2 id="upcoming-h">Upcoming invoice</h2>
  ${invoice
    ? html`<p>${reasonName(invoice.reason)}, charged on ${dateOf(invoice.on)}.</p>
      ${linesTable('Upcoming invoice, line by line', invoice.lines, invoice.total)}
      ${invoice.refundsToBalance.length > 0 ? html`<p class="muted">Before it is paid, ${money(invoice.refundsToBalance.reduce((s, l) => s + l.amount, 0))} of refunds go to your team balance and are used first.</p>` : null}`
    : html`<p>No charge is scheduled.</p>`}
</section>`;
}

/** A plan's price in force today, with its version; the code catalog's where the ledger has none. */
function priceToday(prices: PriceVersion[], sub: TeamSubscriptionView, plan: Plan, interval: Interval): Html {
  const version = prices.find((price) => price.plan === plan && price.interval === interval);
  const amount = version?.amount ?? memberPrice(plan, interval, sub.today);
  return html`<span data-testid="price-${plan}-${interval}" data-version="${String(version?.version ?? 1)}">${money(amount)}</span>`;
}

function changePlan(sub: TeamSubscriptionView, prices: PriceVersion[]): Html {
  const plans = PLANS.filter((plan): plan is Plan => plan !== 'free' && isSoldPerMember(plan, sub.today));
  const onFree = sub.status === 'free';
  return html`<section aria-labelledby="change-h" class="panel">
  <h2 id="change-h">${onFree ? 'Choose a plan' : 'Change plan'}</h2>
  <p class="muted">You will see the exact price before anything is charged.</p>
  <form id="plan-change" data-on-free="${String(onFree)}">
    <fieldset><legend>Plan</legend>
      ${plans.map((plan) => html`<label class="choice"><input type="radio" name="plan" value="${plan}" data-name="${planName(plan)}"${plan === sub.plan || (onFree && plan === plans[0]) ? html` checked` : null} required>
        <span>${planName(plan)} <span class="muted">· ${priceToday(prices, sub, plan, 'month')} per member a month, or ${priceToday(prices, sub, plan, 'year')} a year</span></span></label>`)}
    </fieldset>
    <fieldset><legend>Billing</legend>
      <label class="choice"><input type="radio" name="interval" value="month"${sub.interval === 'month' ? html` checked` : null}> Monthly</label>
      <label class="choice"><input type="radio" name="interval" value="year"${sub.interval === 'year' ? html` checked` : null}> Yearly</label>
    </fieldset>
    <button type="submit">See the price</button>
  </form>
  <div id="quote" class="quote" hidden tabindex="-1"></div>
</section>`;
}

function cancel(sub: TeamSubscriptionView): Html {
  const until = sub.trial?.end ?? sub.periodEnd;
  return html`<section aria-labelledby="cancel-h" class="panel">
  <h2 id="cancel-h">Cancel subscription</h2>
  <p>Your plan stays active${until ? html` until ${dateOf(until)}` : null}. After that your team moves to Free. Nothing is refunded for the days left.</p>
  <form class="api" data-path="subscription/cancel" data-confirm="Cancel the subscription at the end of this period?" data-success="Your subscription will end at the close of this period. You can withdraw this until then.">
    <button type="submit" class="danger">Cancel subscription</button>
  </form>
</section>`;
}

/** Section 7: a team on a seat order sees seats used against bought, and may add seats (a quote for the days left first). */
function seatOrder(viewer: Viewer, data: PlanPageData, order: SeatOrder): Html {
  const sub = data.subscription;
  const bought = sub.seats ?? order.seats;
  return html`<section aria-labelledby="seats-h" class="panel">
  <h2 id="seats-h">Members and seats</h2>
  <p class="meter"><strong data-testid="seats-used">${sub.members} of ${bought} seats</strong> used on your ${planName(order.plan)} seat order, from ${dateOf(order.period.start)} to ${dateOf(order.period.end)}.</p>
  ${sub.members >= bought ? html`<p class="muted">Every seat is taken: add seats before inviting anyone else.</p>` : null}
  ${may(viewer, 'change_plan') ? html`<form id="seat-add" class="inline" data-order-end="${day(order.period.end)}">
    <label for="add-seats">Seats to add</label>
    <input id="add-seats" name="addSeats" type="number" min="1" max="10000" value="1" inputmode="numeric" required>
    <button type="submit" class="secondary">Price for the days left</button>
  </form>
  <div id="seat-quote" class="quote" hidden tabindex="-1"></div>` : null}
  ${data.members ? html`<details><summary>Who is counted (${data.members.length})</summary>
    <ul class="people">${data.members.map((m) => html`<li>${m.name} <span class="muted">${m.email}</span></li>`)}</ul></details>` : null}
</section>`;
}

function seats(viewer: Viewer, data: PlanPageData): Html {
  const sub = data.subscription;
  if (sub.seatOrder) return seatOrder(viewer, data, sub.seatOrder);
  const capacity = freeCapacity(sub.today);
  const used = sub.plan === 'free'
    ? html`<p class="meter"><strong data-testid="seats-used">${sub.members} of ${capacity}</strong> members used on the Free plan.</p>
      ${sub.restricted ? html`<p class="alert" role="alert">Your team has more members than Free allows, so some features are limited. Choose a plan to lift this.</p>` : null}`
    : html`<p class="meter"><strong data-testid="seats-used">${sub.members}</strong> ${sub.members === 1 ? 'member is' : 'members are'} billed on ${planName(sub.plan)}, each at ${money(sub.price?.amount ?? memberPrice(sub.plan, sub.interval, sub.period?.start ?? sub.today))} a ${sub.interval}${sub.price ? html` <span class="muted" data-testid="held-price">(price version ${String(sub.price.version)})</span>` : null}.</p>`;
  return html`<section aria-labelledby="seats-h" class="panel">
  <h2 id="seats-h">Members and seats</h2>
  ${used}
  ${sub.plan !== 'free' && sub.period && may(viewer, 'change_plan') ? html`<form id="member-price" class="inline" data-period-end="${day(sub.period.end)}">
    <label for="add-members">People to add</label>
    <input id="add-members" name="addMembers" type="number" min="1" max="1000" value="1" inputmode="numeric" required>
    <button type="submit" class="secondary">Price for the days left</button>
    <output id="member-price-result" for="add-members" aria-live="polite"></output>
  </form>` : null}
  <p class="muted">${data.seatOrders ? 'Buy seats for Enterprise from your account team.' : 'Buying a fixed number of seats (seat orders) is not available in this portal yet.'}</p>
  ${data.members ? html`<details><summary>Who is counted (${data.members.length})</summary>
    <ul class="people">${data.members.map((m) => html`<li>${m.name} <span class="muted">${m.email}</span></li>`)}</ul></details>` : null}
</section>`;
}
