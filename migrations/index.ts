import type { Knex } from 'knex';
import * as ledger from './20261122_001_ledger';
import * as collection from './20261122_002_collection';
import * as api from './20261122_003_api';
import * as credits from './20261122_004_credits';
import * as invitations from './20261122_005_invitations';
import * as webhooks from './20261122_008_webhooks';
import * as portal from './20261122_009_portal';
import * as providerInvoices from './20261122_010_provider_invoices';
import * as subscriptionViews from './20261122_011_subscription_views';
import * as periodLineFacts from './20261122_012_period_line_facts';
import * as invoiceRefunds from './20261201_019_invoice_refunds';
import * as providerCustomers from './20261201_019_provider_customers';
import * as idempotencyLeases from './20261201_025_idempotency_leases';
import * as memberChanges from './20261201_025_member_changes';
import * as taxDocuments from './20261201_022_tax_documents';
import * as pricing from './20261202_026_pricing';
import * as keyFacts from './20261202_027_key_facts';
import * as documentEmails from './20261202_028_document_emails';
import * as lowBalanceRecipients from './20261202_031_low_balance_recipients';
import * as invoiceRequestEmails from './20261202_032_invoice_request_emails';
import * as creditNoteVoids from './20261203_033_credit_note_voids';

/** Migrations in the order they run. A static list: no file-system scan, so it works the same under tsx, Jest and a bundle. */
const migrations: Record<string, Knex.Migration> = {
  '20261122_001_ledger': ledger,
  '20261122_002_collection': collection,
  '20261122_003_api': api,
  '20261122_004_credits': credits,
  '20261122_005_invitations': invitations,
  '20261122_008_webhooks': webhooks,
  '20261122_009_portal': portal,
  '20261122_010_provider_invoices': providerInvoices,
  '20261122_011_subscription_views': subscriptionViews,
  '20261122_012_period_line_facts': periodLineFacts,
  '20261201_019_invoice_refunds': invoiceRefunds,
  '20261201_019_provider_customers': providerCustomers,
  '20261201_025_idempotency_leases': idempotencyLeases,
  '20261201_025_member_changes': memberChanges,
  '20261201_022_tax_documents': taxDocuments,
  '20261202_026_pricing': pricing,
  '20261202_027_key_facts': keyFacts,
  '20261202_028_document_emails': documentEmails,
  '20261202_031_low_balance_recipients': lowBalanceRecipients,
  '20261202_032_invoice_request_emails': invoiceRequestEmails,
  '20261203_033_credit_note_voids': creditNoteVoids,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => {
    const migration = migrations[name];
    if (!migration) throw new Error(`unknown migration ${name}`);
    return migration;
  },
};
