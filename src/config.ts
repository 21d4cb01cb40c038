import { resolve } from 'node:path';
import { z } from 'zod';
import type { SellerSettings } from './activities/documents';

const port = z.coerce.number().int().min(0).max(65_535);
/** A rate limit in requests a second: unset for none, never 0 (which would stop every charge). */
const perSecond = z.coerce.number({ error: 'must be a number of requests a second, e.g. 25' }).positive({ error: 'must be more than 0 (unset it for no limit)' });

/** Every setting the engine reads, from the environment; unset ones take the embedded defaults. */
const schema = z.object({
  /** `all` runs the worker and the API in one process (npm start); Docker runs them apart. */
  SEATBILL_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  PORT: port.default(3000),
  DATA_DIR: z.string().min(1).default(resolve(__dirname, '..', '.data')),
  DATABASE_URL: z.string().url().optional(),
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_UI_PORT: port.default(8233),
  /** Where operators open the Temporal UI; used to build links to a workflow's history. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  // `<TASK_QUEUE>-charges` is its charges task queue (src/workflows/charges-queue.ts), so the name cannot end so itself.
  TASK_QUEUE: z.string().min(1).refine((queue) => !queue.endsWith('-charges'), 'must not end in -charges: that names a charges task queue').default('billing'),
  PAYMENT_PROVIDER: z.enum(['sandbox', 'stripe']).default('sandbox'),
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /**
   * Charges a second sent to the payment provider, across every worker: the dispatch rate of the charges task queue,
   * held by the Temporal server (src/worker.ts). Unset, no limit. Keep it under the provider's own: Stripe allows 100
   * requests a second in live mode, 25 in test mode.
   */
  PAYMENT_PROVIDER_MAX_RPS: perSecond.optional(),
  /** The sandbox provider's own rate limit, as Stripe's: a charge beyond this many in a second is answered 429. Unset, none. */
  SANDBOX_PROVIDER_MAX_RPS: perSecond.int({ error: 'must be a whole number of charges a second' }).optional(),
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  BILLING_SERVICE_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info'),
  /** Where emails go (`smtp://user:pass@host:587`); without it each email is written as an .eml file under DATA_DIR/mail. */
  SMTP_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().min(3).default('seatbill <billing@localhost>'),
  /** Requests per minute per user API token on /v1 (429 beyond); the service token's own limit, 0 for none. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  SERVICE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(0),
  /** A /v1 request not answered within this many seconds is answered 503 (retry with the same Idempotency-Key). */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** With it, the API port serves /metrics to `Authorization: Bearer <METRICS_TOKEN>`; without it, only METRICS_PORT does. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** How long a request's claim on its Idempotency-Key lasts unless renewed (it is, while the request runs). */
  IDEMPOTENCY_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** The Postgres server simulations create their throwaway databases on; an embedded server per run without it. */
  SIMULATION_DATABASE_URL: z.string().url().optional(),
  /** `POST /v1/simulations` caps: days from start to until (three years), events, runs at once, seconds per run. */
  SIMULATION_MAX_DAYS: z.coerce.number().int().positive().default(1096),
  SIMULATION_MAX_EVENTS: z.coerce.number().int().positive().default(200),
  SIMULATIONS_AT_ONCE: z.coerce.number().int().positive().default(2),
  SIMULATION_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(300),
  /** The link in invitation emails; `{invitationId}` is replaced. Unset: the portal's invitation page at API_PUBLIC_URL. */
  INVITATION_ACCEPT_URL: z.string().min(1).optional(),
  /**
   * The SaaS's page that signs a person in and sends them back through a portal session made for the invitation
   * (`POST /v1/portal-sessions` with `invitationId`); `{invitationId}` is replaced. Unset: the portal asks the person
   * to sign in to the app and open the link again.
   */
  PORTAL_SIGN_IN_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Where links in emails reach this API (a receipt's PDF): `<API_PUBLIC_URL>/v1/...`. Unset: this engine's own, on PORT. */
  API_PUBLIC_URL: z.url().optional(),
  /** The seller on every invoice and credit note (section 13). */
  SELLER_LEGAL_NAME: z.string().min(1).default('seatbill'),
  /** Lines separated by `\n` or `;`. */
  SELLER_ADDRESS: z.string().default(''),
  /** Country of establishment: EU/UK businesses elsewhere are reverse-charged; outside the EU and UK by default. */
  SELLER_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US or DE').default('US'),
  SELLER_TAX_ID: z.string().min(2).optional(),
  /** Series prefixes: INV-2026-000001, CN-2026-000001. */
  INVOICE_NUMBER_PREFIX: z.string().regex(/^[A-Z0-9]{1,10}$/, 'must be 1 to 10 capital letters or digits').default('INV'),
  CREDIT_NOTE_NUMBER_PREFIX: z.string().regex(/^[A-Z0-9]{1,10}$/, 'must be 1 to 10 capital letters or digits').default('CN'),
  /** The memory the worker's workflow cache may take; the cache's size is derived from it (cachedWorkflowsFor). */
  WORKER_MEMORY_BUDGET_MB: z.coerce.number().int().min(64, 'must be at least 64 (MiB)').default(1024),
  /** The worker's workflow cache, in workflows, instead of the one the budget gives; 0 turns the cache off. */
  WORKER_MAX_CACHED_WORKFLOWS: z.preprocess(
    (value) => (value === '' ? undefined : value), // set but empty is unset, not 0 (which would turn the cache off)
    z.coerce.number().int().refine((n) => n === 0 || n >= 2, 'must be 0 (no cache) or at least 2').optional(),
  ),
});

export type Config = z.infer<typeof schema> & { INVITATION_ACCEPT_URL: string; API_PUBLIC_URL: string };

/** Reads and validates the environment; a bad value stops start-up with the variable's name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  // The API serves the portal (under /portal), so the invitation's page is on the API's public URL.
  const apiPublicUrl = (parsed.data.API_PUBLIC_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, '');
  const config: Config = {
    ...parsed.data,
    INVITATION_ACCEPT_URL: parsed.data.INVITATION_ACCEPT_URL ?? `${apiPublicUrl}/portal/invitations/{invitationId}`,
    API_PUBLIC_URL: apiPublicUrl,
  };
  if (config.PAYMENT_PROVIDER === 'stripe' && !config.STRIPE_SECRET_KEY) {
    throw new Error('invalid configuration: STRIPE_SECRET_KEY is required when PAYMENT_PROVIDER=stripe');
  }
  return config;
}

/**
 * The worker's memory per cached team workflow (KiB), measured by `npm run bench -- capacity` (RSS settled after a
 * burst of team starts less RSS before it, over the workflows cached): 61, 209 and 337 KiB in three runs of 1,000
 * trialing teams and 482 KiB in one of 2,000 on 2026-12-02, 422 KiB in one of 3,000 and 351 KiB in one of 10,000 on
 * 2026-12-04; the largest, rounded up, so the cache stays inside its budget. README, "Operating the engine", "Worker
 * memory and the workflow cache".
 */
export const MEMORY_PER_CACHED_TEAM_WORKFLOW_KIB = 490;

/** maxCachedWorkflows = floor(budget MiB × 1024 / KiB per cached team workflow): the cache that fits the budget. */
export function cachedWorkflowsFor(budgetMiB: number, kibPerWorkflow = MEMORY_PER_CACHED_TEAM_WORKFLOW_KIB): number {
  return Math.max(2, Math.floor((budgetMiB * 1024) / kibPerWorkflow));
}

/** The worker's options that configuration chooses: its cache, as set or as the memory budget holds. */
export function workerTuning(config: Config): { maxCachedWorkflows: number } {
  return { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS ?? cachedWorkflowsFor(config.WORKER_MEMORY_BUDGET_MB) };
}

/** The seller of the configuration, as the billing activities and documents take it. */
export function sellerSettings(config: Config): SellerSettings {
  if (config.INVOICE_NUMBER_PREFIX === config.CREDIT_NOTE_NUMBER_PREFIX) {
    throw new Error('invalid configuration: INVOICE_NUMBER_PREFIX and CREDIT_NOTE_NUMBER_PREFIX must differ (each is its own gapless series)');
  }
  return {
    legalName: config.SELLER_LEGAL_NAME,
    address: config.SELLER_ADDRESS.split(/\s*(?:\\n|;)\s*/).join('\n'),
    country: config.SELLER_COUNTRY,
    taxId: config.SELLER_TAX_ID ?? null,
    invoicePrefix: config.INVOICE_NUMBER_PREFIX,
    creditNotePrefix: config.CREDIT_NOTE_NUMBER_PREFIX,
  };
}
