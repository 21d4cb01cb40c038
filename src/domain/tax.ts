// Tax (section 13). Catalog prices are net; each invoice has ONE tax line,
//   tax = round(rate × Σ lines), half away from zero, once per document,
// and its total is Σ lines + tax. The rate is the standard VAT rate of the
// team's billing country on the invoice's day (vat-rates.json, dated, each
// rate naming its source). A business (a tax ID that passed validation) in
// the EU or the UK outside the seller's own country is reverse-charged: 0.
// Countries outside the EU and UK are untaxed unless the seller configures a rate.
import { z } from 'zod';
import vatData from './vat-rates.json';
import { compareDays, isDay, type Day } from './calendar';
import { BASIS_POINTS, basisPointsOf, divideRounded, sumCents, type Cents } from './money';
import { countryCode, isEuOrUk } from './refunds';

/** A rate in force in `country` from `from` until the next entry of the same country. */
export interface VatRate {
  country: string;
  /** 1900 = 19%. */
  basisPoints: number;
  from: Day;
  source: string;
}

const rateSchema = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/),
  basisPoints: z.number().int().min(0).max(10_000),
  from: z.string().refine(isDay, 'must be a calendar day YYYY-MM-DD'),
  source: z.string().min(1),
});

/** Validates a rate table (the built-in one, or rates a seller configures) and orders it by day. */
export function parseVatRates(input: unknown): VatRate[] {
  return z.array(rateSchema).parse(input).sort((a, b) => compareDays(a.from, b.from));
}

/** The standard rates of the EU member states and the UK, oldest first. */
export const VAT_RATES: readonly VatRate[] = parseVatRates(vatData.rates);

/** A party to an invoice or credit note: who sells or buys, where, and under which tax ID (null: none). */
export interface BillingParty {
  legalName: string;
  address: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  taxId: string | null;
}

export const REVERSE_CHARGE_NOTE = 'Reverse charge: VAT to be accounted for by the recipient';

/** `standard`: the country's rate charged; `reverse_charge`: a business, the buyer accounts for it; `untaxed`: no rate applies. */
export type TaxTreatment = 'standard' | 'reverse_charge' | 'untaxed';

export interface TaxRate {
  treatment: TaxTreatment;
  /** The country whose rate applies (the team's billing country). */
  country: string;
  /** 0 unless `standard`. */
  basisPoints: number;
  /** Where the rate comes from; null when nothing is charged. */
  source: string | null;
}

export interface TaxContext {
  /** The team's tax ID passed format and checksum validation (and the online check, when one is plugged in). */
  taxIdValid: boolean;
  /** The seller's country of establishment (configuration; outside the EU and UK by default). */
  sellerCountry: string;
  /** Rates the seller configures for countries outside the EU and UK. */
  configuredRates?: readonly VatRate[];
}

/** The rate in force in `country` on `day` in `table`; null before its first rate or when it is not listed. */
export function rateOn(table: readonly VatRate[], country: string, day: Day): VatRate | null {
  const code = countryCode(country);
  let found: VatRate | null = null;
  for (const rate of table) {
    if (rate.country === code && compareDays(rate.from, day) <= 0) found = rate; // oldest first: the last one started wins
  }
  return found;
}

/** The tax rate of an invoice dated `day` for a team billed in `country`. */
export function taxRateFor(country: string, day: Day, context: TaxContext): TaxRate {
  const code = countryCode(country);
  const seller = countryCode(context.sellerCountry);
  if (isEuOrUk(code)) {
    if (context.taxIdValid && code !== seller) return { treatment: 'reverse_charge', country: code, basisPoints: 0, source: null };
    const rate = rateOn(VAT_RATES, code, day);
    if (!rate) throw new RangeError(`no VAT rate of ${code} is known on ${day}`);
    return { treatment: 'standard', country: code, basisPoints: rate.basisPoints, source: rate.source };
  }
  const configured = rateOn(context.configuredRates ?? [], code, day);
  if (configured && configured.basisPoints > 0) return { treatment: 'standard', country: code, basisPoints: configured.basisPoints, source: configured.source };
  return { treatment: 'untaxed', country: code, basisPoints: 0, source: null };
}

/** Net, tax and total of a document (an invoice, or a credit note with negative lines). */
export interface TaxedAmount {
  /** Σ lines. */
  net: Cents;
  /** round(basisPoints × net ÷ 10000), once. */
  tax: Cents;
  /** net + tax. */
  total: Cents;
}

export function taxLines(lineAmounts: readonly Cents[], rate: Pick<TaxRate, 'basisPoints'>): TaxedAmount {
  const net = sumCents(lineAmounts);
  const tax = basisPointsOf(net, rate.basisPoints);
  return { net, tax, total: sumCents([net, tax]) };
}

/** `19%`, `25.5%`: for documents, never for arithmetic. */
export function formatRate(basisPoints: number): string {
  const hundredths = basisPoints % 100;
  const fraction = hundredths === 0 ? '' : `.${hundredths.toString().padStart(2, '0').replace(/0$/, '')}`;
  return `${Math.floor(basisPoints / 100)}${fraction}%`;
}

/**
 * The net and tax of `gross` given back out of a taxed document of which `credited` was given back already (a
 * partial refund). Its tax is the VAT fraction of the gross, rounded once:
 *   tax = round(gross × bp ÷ (10000 + bp)), net = gross − tax,
 * held within what is left of the document's tax and net, so the part that completes the document takes exactly
 * what is left of each and the document's credit notes add up to it. All amounts positive.
 */
export function partOfTaxedTotal(gross: Cents, document: TaxedAmount, credited: TaxedAmount, basisPoints: number): TaxedAmount {
  const netLeft = document.net - credited.net;
  const taxLeft = document.tax - credited.tax;
  if (!Number.isSafeInteger(gross) || gross <= 0) throw new RangeError(`a part given back must be positive cents, got ${gross}`);
  if (netLeft < 0 || taxLeft < 0 || gross > netLeft + taxLeft) {
    throw new RangeError(`${gross} exceeds the ${netLeft + taxLeft} left of a document of ${document.total}`);
  }
  const fraction = divideRounded(gross * basisPoints, BASIS_POINTS + basisPoints);
  const tax = Math.min(Math.max(fraction, gross - netLeft, 0), taxLeft, gross);
  return { net: gross - tax, tax, total: gross };
}
