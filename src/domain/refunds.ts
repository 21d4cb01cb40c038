// Refund eligibility (section 10): within 72 hours of the payment, or 14 days
// when the team's billing country is in the EU or the UK. Refunds go back to
// the original payment method and end the refunded period.
import { epochMs, instantFromEpochMs, type Instant, type Moment } from './calendar';

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
