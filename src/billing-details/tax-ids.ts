// Tax IDs (section 13): a team with a tax ID that passes format and checksum validation is a business. The offline
// check (jsvat: each country's format and check digits) decides alone unless an online check (VIES, HMRC) is
// plugged in, which may then confirm or refuse what passed offline.
import { checkVAT, countries } from 'jsvat';
import { countryCode, isEuOrUk } from '../domain/refunds';

export type TaxIdVerdict =
  | { valid: true; taxId: string }
  | { valid: false; reason: string };

/** An online register (VIES for the EU, HMRC for the UK), asked only about IDs that passed offline. */
export interface OnlineTaxIdCheck {
  confirm(taxId: string, country: string): Promise<TaxIdVerdict>;
}

export interface TaxIdValidator {
  validate(taxId: string, country: string): Promise<TaxIdVerdict>;
}

// The VAT prefix of a country where it differs from the ISO code (Greece writes EL).
const VAT_PREFIX: Readonly<Record<string, string>> = { GR: 'EL' };

/** `fr 40 303.265-045` → `FR40303265045`. */
export function normalizeTaxId(taxId: string): string {
  return taxId.toUpperCase().replace(/[\s.\-/]/g, '');
}

/**
 * EU and UK: format and checksum, and that the ID is one of the billing country's. Elsewhere an ID changes no tax
 * (section 13) and is printed as given, letters and digits. Synchronous: no I/O.
 */
export function checkTaxIdOffline(taxId: string, country: string): TaxIdVerdict {
  const normalized = normalizeTaxId(taxId);
  const code = countryCode(country);
  if (!isEuOrUk(code)) return /^[A-Z0-9]{2,30}$/.test(normalized) ? { valid: true, taxId: normalized } : { valid: false, reason: 'must be 2 to 30 letters and digits' };
  const prefix = VAT_PREFIX[code] ?? code;
  const withPrefix = /^[A-Z]{2}/.test(normalized) ? normalized : `${prefix}${normalized}`;
  const result = checkVAT(withPrefix, countries);
  if (!result.isSupportedCountry || !result.country) return { valid: false, reason: `is not a VAT ID of a country we can check (${withPrefix.slice(0, 2)})` };
  const of = countryCode(result.country.isoCode.short);
  if (of !== code) return { valid: false, reason: `is a VAT ID of ${of}, not of the billing country ${code}` };
  if (!result.isValidFormat) return { valid: false, reason: `is not in the format of a ${result.country.name} VAT ID` };
  if (!result.isValid) return { valid: false, reason: `fails the check digits of a ${result.country.name} VAT ID` };
  return { valid: true, taxId: withPrefix };
}

/** The offline check, then the online one when given. */
export function taxIdValidator(online?: OnlineTaxIdCheck): TaxIdValidator {
  return {
    async validate(taxId, country) {
      const offline = checkTaxIdOffline(taxId, country);
      if (!offline.valid || !online) return offline;
      return online.confirm(offline.taxId, country);
    },
  };
}
