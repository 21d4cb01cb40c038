// Invoices and credit notes as legal documents (section 13): both parties as they stood on the day, the tax rate
// of the buyer's country, and a number from a gapless per-year sequence. A number is taken only by a document
// that is being written for the first time, in the transaction that writes it: a rollback gives it back, a
// retried or replayed write finds the stored document and its number, and the counter row's lock makes two
// concurrent issues take two consecutive numbers.
import type { Day } from '../domain/calendar';
import { taxRateFor, type BillingParty, type TaxRate, type VatRate } from '../domain/tax';
import { insertOnce, requireSameFacts, type DbOrTrx } from '../ledger/rows';

/** The seller (configuration): its details, country of establishment, the prefixes of its number series. */
export interface SellerSettings extends BillingParty {
  invoicePrefix: string;
  creditNotePrefix: string;
  /** Rates the seller charges in countries outside the EU and UK. */
  configuredRates?: readonly VatRate[];
}

/** Established outside the EU and UK, so every EU/UK business is reverse-charged (section 13's default). */
export const DEFAULT_SELLER: SellerSettings = {
  legalName: 'seatbill', address: '', country: 'US', taxId: null, invoicePrefix: 'INV', creditNotePrefix: 'CN',
};

/** `INV-2026-000001`. */
export function documentNumber(series: string, year: number, sequence: number): string {
  return `${series}-${year}-${sequence.toString().padStart(6, '0')}`;
}

/** The next number of `series` in the year of `on`; the counter row stays locked until the transaction ends. */
export async function nextDocumentNumber(trx: DbOrTrx, series: string, on: Day): Promise<string> {
  const year = Number(on.slice(0, 4));
  const result = (await trx.raw(
    `INSERT INTO document_sequences (series, year, last_number) VALUES (?, ?, 1)
     ON CONFLICT (series, year) DO UPDATE SET last_number = document_sequences.last_number + 1
     RETURNING last_number`,
    [series, year],
  )) as { rows: { last_number: string | number }[] };
  return documentNumber(series, year, Number(result.rows[0]?.last_number));
}

/**
 * Writes a document once under its idempotency key, numbered in `series` on `on`. A key already written returns
 * that row (its facts checked) and takes no number; a row another transaction wrote meanwhile rolls this one back
 * (a retryable error), returning the number it took, and the retry finds that row.
 */
export async function insertNumbered<Row extends { number: string }>(
  trx: DbOrTrx,
  table: string,
  row: Record<string, unknown> & { idempotency_key: string },
  facts: readonly string[],
  numbering: { series: string; on: Day },
): Promise<{ row: Row; created: boolean }> {
  const stored = (await trx(table).where({ idempotency_key: row.idempotency_key }).first()) as Record<string, unknown> | undefined;
  if (stored) {
    requireSameFacts(table, stored, row, facts);
    return { row: stored as Row, created: false };
  }
  const number = await nextDocumentNumber(trx, numbering.series, numbering.on);
  const written = await insertOnce<Row>(trx, table, { ...row, number }, facts);
  if (!written.created) throw new Error(`${table} ${row.idempotency_key} was written by a concurrent call; retried, it finds that row`);
  return written;
}

interface TeamPartyRow {
  name: string;
  legal_name: string | null;
  address: string | null;
  billing_country: string;
  tax_id: string | null;
}

/**
 * The team as buyer: its billing details, its name when no legal name was given. `lock`: the team's row is locked for
 * the transaction in the same round trip (as lockTeam, the first lock every writer of the team's money takes).
 */
export async function buyerOf(db: DbOrTrx, teamId: string, { lock = false } = {}): Promise<BillingParty | null> {
  const query = db('teams').where({ id: teamId }).first('name', 'legal_name', 'address', 'billing_country', 'tax_id');
  const team = (await (lock ? query.forUpdate() : query)) as TeamPartyRow | undefined;
  if (!team) return null;
  return { legalName: team.legal_name ?? team.name, address: team.address ?? '', country: team.billing_country, taxId: team.tax_id };
}

/** The seller as it appears on a document (its prefixes and rate settings are not part of it). */
export function sellerParty(seller: SellerSettings): BillingParty {
  return { legalName: seller.legalName, address: seller.address, country: seller.country, taxId: seller.taxId };
}

/** The rate of a document dated `on` for `buyer`; a stored tax ID is one that passed validation. */
export function documentTaxRate(buyer: BillingParty, on: Day, seller: SellerSettings): TaxRate {
  return taxRateFor(buyer.country, on, { taxIdValid: buyer.taxId !== null, sellerCountry: seller.country, configuredRates: seller.configuredRates ?? [] });
}

/** The tax columns a document stores. */
export function taxColumns(rate: TaxRate): { tax_rate_bp: number; tax_treatment: string; tax_country: string } {
  return { tax_rate_bp: rate.basisPoints, tax_treatment: rate.treatment, tax_country: rate.country };
}
