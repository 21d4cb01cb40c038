// How the portal writes money, days and plans for a customer.
import { PLAN_NAMES, type Plan } from '../domain';

export function money(cents: number, currency = 'usd'): string {
  const sign = cents < 0 ? '−' : '';
  const amount = (Math.abs(cents) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency === 'usd' ? `${sign}$${amount}` : `${sign}${amount} ${currency.toUpperCase()}`;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `2026-05-20` (or a timestamp) as `May 20, 2026`. */
export function day(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const text = value instanceof Date ? value.toISOString() : String(value);
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!match) return text;
  return `${MONTHS[Number(match[2]) - 1]} ${Number(match[3])}, ${match[1]}`;
}

/** The machine-readable day for `<time datetime>`. */
export function isoDay(value: string | Date | null | undefined): string {
  if (!value) return '';
  return (value instanceof Date ? value.toISOString() : String(value)).slice(0, 10);
}

export function planName(plan: string): string {
  return PLAN_NAMES[plan as Plan] ?? plan;
}

export function intervalName(interval: string): string {
  return interval === 'year' ? 'yearly' : 'monthly';
}

const STATUS: Record<string, string> = { trialing: 'Trial', active: 'Active', past_due: 'Payment overdue', free: 'Free' };
export function statusName(status: string): string {
  return STATUS[status] ?? status;
}

const REASONS: Record<string, string> = {
  subscribe: 'Subscription', trial_end: 'End of trial', renewal: 'Renewal', plan_change: 'Plan change', upgrade: 'Upgrade',
  member_review: 'Member changes', interval_change: 'Billing interval change', seat_order: 'Seat order', seat_addition: 'Seats added',
};
export function reasonName(reason: string): string {
  return REASONS[reason] ?? reason.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

const CREDIT_REASONS: Record<string, string> = { refund: 'Refund', member_removed: 'Removed members', void: 'Voided invoice' };
/** Why a credit note was issued. */
export function creditReasonName(reason: string): string {
  return CREDIT_REASONS[reason] ?? reason;
}
