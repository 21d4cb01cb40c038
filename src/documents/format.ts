// How documents, the portal and the API's PDFs write money, days, plans and tax for a customer.
import { formatRate, PLAN_NAMES, type Plan } from '../domain';
import type { DocumentTax } from './types';

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

/** `VAT 19% (DE)`, `VAT 0% (FR), reverse charge`, `VAT: not charged`: as the PDF says it. */
export function taxLabel(document: Pick<DocumentTax, 'taxTreatment' | 'taxRateBasisPoints' | 'taxCountry'>): string {
  const where = document.taxCountry ? ` (${document.taxCountry})` : '';
  if (document.taxTreatment === 'reverse_charge') return `VAT 0%${where}, reverse charge`;
  if (document.taxTreatment === 'untaxed') return 'VAT: not charged';
  return `VAT ${formatRate(document.taxRateBasisPoints)}${where}`;
}
