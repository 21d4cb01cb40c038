// Refund eligibility (section 10): within 72 hours of the payment, or 14 days
// when the team's billing country is in the EU or the UK. Refunds go back to
// the original payment method and end the refunded period.
import { epochMs, instantFromEpochMs, type Instant, type Moment } from './calendar';
import type { Cents } from './money';

/** The 27 EU member states (ISO 3166-1 alpha-2) and the United Kingdom. */
export const EU_AND_UK_COUNTRIES: readonly string[] = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
  'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
  'GB',
];
// Codes some systems use instead: EL for Greece (EU usage), UK for the United Kingdom.
const ALIASES: Readonly<Record<string, string>> = { EL: 'GR', UK: 'GB' };

const HOUR_MS = 3_600_000;
export const REFUND_WINDOW_HOURS = { standard: 72, euUk: 14 * 24 } as const;

/** The ISO 3166-1 alpha-2 code of a country as given (`de`, `EL`, `UK` → DE, GR, GB). */
export function countryCode(country: string): string {
  const code = country.trim().toUpperCase();
  return ALIASES[code] ?? code;
}

export function isEuOrUk(country: string): boolean {
  return EU_AND_UK_COUNTRIES.includes(countryCode(country));
}

export function refundWindowHours(country: string | null | undefined): number {
  return country && isEuOrUk(country) ? REFUND_WINDOW_HOURS.euUk : REFUND_WINDOW_HOURS.standard;
}

export type RefundEligibility =
  | { eligible: true; deadline: Instant; windowHours: number }
  | { eligible: false; deadline: Instant; windowHours: number; reason: string };

/** Eligible while now ≤ paidAt + window (the last instant of the window included). */
export function refundEligibility(input: { paidAt: Moment; now: Moment; billingCountry: string | null | undefined }): RefundEligibility {
  const windowHours = refundWindowHours(input.billingCountry);
  const deadlineMs = epochMs(input.paidAt) + windowHours * HOUR_MS;
  const deadline = instantFromEpochMs(deadlineMs);
  const now = epochMs(input.now);
  if (now < epochMs(input.paidAt)) return { eligible: false, deadline, windowHours, reason: 'the payment is later than now' };
  if (now <= deadlineMs) return { eligible: true, deadline, windowHours };
  const window = windowHours === REFUND_WINDOW_HOURS.euUk ? '14 days' : '72 hours';
  return { eligible: false, deadline, windowHours, reason: `refunds are possible within ${window} of the payment; the window closed at ${deadline}` };
}

/** An invoice's money by the way it was paid (section 4), or a credit note's by where it went; positive cents. */
export interface PaidParts {
  balance: Cents;
  credits: Cents;
  card: Cents;
}

/**
 * Where a credit note's money went. A refund of a whole invoice gives each part back the way it came (section 10);
 * a refund of part of it went all to the card (`to: card`), or, for what a refund gave back after partial card
 * refunds (`to: balance`), to the credits the invoice used and the rest to the balance. A removed member's refund
 * (or any other note) all went to the balance.
 */
export function creditNoteParts(note: { reason: string; to: 'card' | 'balance'; total: Cents }, invoice: PaidParts): PaidParts {
  const given = -note.total;
  if (note.reason === 'member_removed') return { balance: given, credits: 0, card: 0 };
  // A refund and the void of a paid invoice give its parts back the way they came.
  if (given === invoice.balance + invoice.credits + invoice.card) return { ...invoice };
  if (note.to === 'card') return { balance: 0, credits: 0, card: given };
  const credits = Math.min(invoice.credits, given);
  return { balance: given - credits, credits, card: 0 };
}
