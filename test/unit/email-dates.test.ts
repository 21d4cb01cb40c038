import { spelledDate } from '../../src/domain';
import { renderEmail } from '../../src/email/templates';

// Dates in emails read as a person writes them, never as ISO timestamps.
test.each([
  ['2026-12-08T22:48:00.000Z', 'December 8, 2026, 22:48 UTC'],
  ['2026-12-08T22:48:59Z', 'December 8, 2026, 22:48 UTC'],
  ['2026-05-20', 'May 20, 2026'],
  ['soon', 'soon'],
])('%s reads %s', (value, spelled) => {
  expect(spelledDate(value)).toBe(spelled);
});

const ISO = /\d{4}-\d{2}-\d{2}/;

test.each([
  ['billing_manager_invited', { expiresAt: '2026-12-08T22:48:00.000Z' }, 'December 8, 2026, 22:48 UTC'],
  ['trial_ending', { trialEnd: '2026-05-20', plan: 'basic' }, 'May 20, 2026'],
  ['payment_failed', { total: 1200, invoiceId: 'inv_1', attempt: 1, nextTryOn: '2026-06-21' }, 'June 21, 2026'],
  ['renewal_reminder', { termEnd: '2027-05-20', plan: 'basic' }, 'May 20, 2027'],
  ['expiry_notice', { orderEnd: '2027-01-01' }, 'January 1, 2027'],
  ['downgraded_to_free', { reason: 'canceled', members: 2 }, 'June 20, 2026'],
])('the %s email spells its dates', (kind, payload, spelled) => {
  const email = renderEmail(kind, { on: '2026-06-20', payload, scopeName: 'Acme', acceptUrl: 'https://billing.example.com/portal/invitations/inv_1' });
  expect(`${email.subject}\n${email.text}`).toContain(spelled);
  expect(`${email.subject}\n${email.text}`.replace('https://billing.example.com/portal/invitations/inv_1', '')).not.toMatch(ISO);
});

test('the low-balance alert says the balance left, the threshold, when it fell and how to buy more credits', () => {
  const email = renderEmail('low_balance_alert', {
    on: '2026-12-08T22:48:00.000Z', payload: { accountId: 'ann', balance: 400, threshold: 500 }, scopeName: 'Ann',
    purchaseUrl: 'https://billing.example.com/v1/api-credits/ann/purchases',
  });
  expect(email.subject).toBe('Ann: API credits down to $4.00, below $5.00');
  expect(email.text).toBe([
    'On December 8, 2026, 22:48 UTC the API-credit balance of Ann fell to $4.00, below its low-balance threshold of $5.00.',
    'Usage the balance does not cover is refused, and credits are never bought automatically: buy more before it runs out.',
    "The account's user buys credits with a purchase: POST https://billing.example.com/v1/api-credits/ann/purchases with the amount in cents and a payment method.",
  ].join('\n\n') + '\n');
});
