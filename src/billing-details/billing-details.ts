// A team's billing details (section 13): legal name, address, billing country and an optional tax ID, printed on
// its invoices and credit notes from the day they change; the country and tax ID decide the tax of the next ones.
import type { Db } from '../ledger/db';
import { countryCode } from '../domain/refunds';
import type { BillingParty } from '../domain/tax';
import { buyerOf } from '../activities/documents';
import type { TaxIdValidator } from './tax-ids';

/** The team as the buyer on its documents; its tax ID normalized (`FR40303265045`), null when not a business. */
export type BillingDetails = BillingParty;

export const billingDetailsOf = buyerOf;

export type BillingDetailsUpdate =
  | { ok: true; details: BillingDetails }
  | { ok: false; field: 'taxId'; message: string }
  | { ok: false; field: 'teamId'; message: string };

/** Stores the details once the tax ID (if any) passed the validator; a refused ID changes nothing. */
export async function setBillingDetails(db: Db, validator: TaxIdValidator, teamId: string, input: BillingDetails): Promise<BillingDetailsUpdate> {
  const country = countryCode(input.country);
  let taxId: string | null = null;
  if (input.taxId !== null && input.taxId.trim() !== '') {
    const verdict = await validator.validate(input.taxId, country);
    if (!verdict.valid) return { ok: false, field: 'taxId', message: verdict.reason };
    taxId = verdict.taxId;
  }
  const details = { legalName: input.legalName.trim(), address: input.address.trim(), country, taxId };
  const updated = await db('teams')
    .where({ id: teamId })
    .update({ legal_name: details.legalName, address: details.address, billing_country: country, tax_id: taxId });
  if (updated === 0) return { ok: false, field: 'teamId', message: `no team ${teamId}` };
  return { ok: true, details };
}
