import type { Client } from '@temporalio/client';
import { taxIdValidator, type TaxIdValidator } from '../billing-details/tax-ids';
import type Stripe from 'stripe';
import { createDirectory, type Directory } from '../ledger/accounts/directory';
import { sellerSettings, type Config } from '../config';
import type { SellerSettings } from '../activities/documents';
import type { Db } from '../ledger/db';
import type { Logger } from '../logger';
import type { PaymentProvider } from '../payments';
import type { AnyOperation } from './operation-spec';

/** What createApi is given. Everything else is built from these, so tests build the API on their own servers. */
export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
  /** The SaaS backend's token; main.ts passes the generated one when BILLING_SERVICE_TOKEN is unset. */
  serviceToken?: string;
  /** The provider refunds go through; by default the one PAYMENT_PROVIDER names. */
  payments?: PaymentProvider;
  /** For SetupIntents; by default a client for STRIPE_SECRET_KEY, none without one. */
  stripe?: Stripe | null;
  /** Checks tax IDs; offline (format and checksum) unless an online check is plugged in. */
  taxIds?: TaxIdValidator;
}

/** What route modules receive: the deps, the services built on them, and the list operations register in. */
export interface ApiContext extends Required<Pick<ApiDeps, 'config' | 'db' | 'temporal' | 'logger' | 'payments'>> {
  serviceToken: string;
  stripe: Stripe | null;
  directory: Directory;
  operations: AnyOperation[];
  taxIds: TaxIdValidator;
  /** Who issues the documents (configuration); quotes and exports use it as the issuing activities do. */
  seller: SellerSettings;
}

export function apiContext(deps: ApiDeps & { serviceToken: string; payments: PaymentProvider; stripe: Stripe | null }): ApiContext {
  return { ...deps, directory: createDirectory(deps.db), operations: [], taxIds: deps.taxIds ?? taxIdValidator(), seller: sellerSettings(deps.config) };
}
