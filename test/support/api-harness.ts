// The API on real servers: the integration project's Temporal dev server and Postgres, a worker on a task queue
// of this test file running the real billing activities with the sandbox provider, and the app under supertest.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import pino from 'pino';
import request from 'supertest';
import type Stripe from 'stripe';
import { createBillingActivities } from '../../src/activities';
import { createApi } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { epochMs } from '../../src/domain';
import type { PaymentProvider } from '../../src/payments';
import { installQuietRuntime } from '../../src/infra/quiet-runtime';
import { workflowBundle } from '../../src/infra/workflow-bundle';
import { createSandboxProvider } from '../../src/payments/sandbox-provider';
import { createBillingWorker, type BillingWorker } from '../../src/worker';
import type { StripeInvoices } from '../../src/payments/stripe-invoices';
import { stateQuery, teamWorkflowId, type TeamState, type TeamSubscriptionView } from '../../src/workflows/team-subscription-messages';
import { createTestDatabase, type TestDatabase } from './database';
import { recordsTimersDone } from './run-tasks';
import { integrationEnv } from './integration-env';

export const WEBHOOK_SECRET = 'whsec_seatbill_api_tests';
export const VISA = { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } as const;

type Method = 'get' | 'post' | 'put' | 'delete';
export interface Caller {
  /** Headers every request of this caller carries. */
  headers: Record<string, string>;
}

export class ApiHarness {
  private constructor(
    readonly testDb: TestDatabase,
    readonly temporal: Client,
    readonly app: ReturnType<typeof createApi>,
    readonly serviceToken: string,
    private readonly worker: BillingWorker,
    private readonly running: Promise<void>,
    private readonly closeConnections: () => Promise<void>,
  ) {}

  static async start(
    options: { payments?: PaymentProvider; stripe?: Stripe; stripeInvoices?: StripeInvoices; /** Settings beside the harness's own. */ env?: NodeJS.ProcessEnv } = {},
  ): Promise<ApiHarness> {
    const { temporalAddress } = integrationEnv();
    const testDb = await createTestDatabase();
    const db = testDb.db;
    const taskQueue = `api-${randomUUID()}`;
    installQuietRuntime();
    const bundle = await workflowBundle();
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    const worker = await createBillingWorker({
      connection: nativeConnection,
      taskQueue,
      bundle,
      activities: createBillingActivities({ db, payments: createSandboxProvider({ db }), stripeInvoices: options.stripeInvoices }),
    });
    const running = worker.run();
    const connection = await Connection.connect({ address: temporalAddress });
    const temporal = new Client({ connection });
    const serviceToken = `sbt_${randomBytes(24).toString('base64url')}`;
    const config = loadConfig({
      TASK_QUEUE: taskQueue,
      STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BILLING_SERVICE_TOKEN: serviceToken,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'seatbill-api-')),
      LOG_LEVEL: 'fatal',
      // Tests send many requests with one token; test/integration/api-limits.test.ts sets its own limit.
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...options.env,
    });
    const app = createApi({
      config, db, temporal, logger: pino({ level: 'fatal' }), serviceToken,
      ...(options.payments ? { payments: options.payments } : {}),
      ...(options.stripe ? { stripe: options.stripe } : {}),
    });
    return new ApiHarness(testDb, temporal, app, serviceToken, worker, running, async () => {
      await connection.close();
      await nativeConnection.close();
    });
  }

  async teardown(): Promise<void> {
    this.worker.shutdown();
    await this.running.catch(() => undefined);
    await this.closeConnections();
    await this.testDb.drop();
  }

  get db() {
    return this.testDb.db;
  }

  /** The SaaS backend acting as the platform. */
  platform(): Caller {
    return { headers: { authorization: `Bearer ${this.serviceToken}` } };
  }

  /** The SaaS backend acting for a user. */
  actingFor(userId: string): Caller {
    return { headers: { authorization: `Bearer ${this.serviceToken}`, 'x-acting-user': userId } };
  }

  withToken(token: string): Caller {
    return { headers: { authorization: `Bearer ${token}` } };
  }

  /** A request; every POST gets a fresh Idempotency-Key unless one is given. */
  call(caller: Caller, method: Method, path: string, body?: unknown, idempotencyKey?: string): request.Test {
    let test = request(this.app)[method](path).set(caller.headers);
    if (method === 'post') test = test.set('idempotency-key', idempotencyKey ?? randomUUID());
    return body === undefined ? test : test.send(body as object);
  }

  async createUser(name: string): Promise<{ id: string; token: string }> {
    const user = await this.call(this.platform(), 'post', '/v1/users', { email: `${name}-${randomUUID()}@example.com`, name }).expect(201);
    const token = await this.call(this.platform(), 'post', `/v1/users/${user.body.id}/tokens`, { label: 'tests' }).expect(201);
    return { id: user.body.id as string, token: token.body.token as string };
  }

  /** A team created through the API by its owner, with a sandbox card on file unless `card: false`. */
  async createTeam(ownerId: string, options: { card?: boolean; billingCountry?: string } = {}): Promise<string> {
    const res = await this.call(this.actingFor(ownerId), 'post', '/v1/teams', {
      name: 'Acme', billingCountry: options.billingCountry ?? 'US', ...(options.card === false ? {} : { paymentMethod: VISA }),
    }).expect(201);
    return res.body.id as string;
  }

  state(teamId: string): Promise<TeamSubscriptionView> {
    return this.temporal.workflow.getHandle(teamWorkflowId(teamId)).query(stateQuery);
  }

  /**
   * "Reach trial end" on a dev server, which cannot skip time: the trial's state is carried into a new run whose
   * business clock is two seconds before trial end (the workflow's `carried` and `clockOffsetMs` inputs, the same
   * ones continue-as-new and simulations use). The real timer then fires and the workflow charges trial end.
   */
  async moveToEveOfTrialEnd(teamId: string): Promise<void> {
    const view = await this.state(teamId);
    if (!view.trial || view.plan === 'free') throw new Error(`team ${teamId} is not trialing`);
    const handle = this.temporal.workflow.getHandle(teamWorkflowId(teamId));
    const { taskQueue } = (await handle.describe());
    const carried: TeamState = {
      teamId, plan: view.plan, interval: view.interval, status: 'trialing', members: view.members, paymentMethod: { ...VISA },
      hadTrial: true, trial: view.trial, period: null, anchorDay: null, pendingChange: view.pendingChange,
      memberChanges: [], nextReviewOn: null, reminderOn: null, dunning: null,
    };
    await handle.terminate('test: move the business clock to the eve of trial end');
    await this.temporal.workflow.start('teamSubscription', {
      taskQueue,
      workflowId: teamWorkflowId(teamId),
      args: [{ teamId, team: { name: 'Acme', billingCountry: 'US' }, members: view.members, carried, clockOffsetMs: epochMs(view.trial.end) - 2_000 - Date.now() }],
    });
  }

  /** Polls until `check` returns a value (not undefined), or fails after `timeoutMs`. */
  /**
   * Waits until the records of the team's requests answered so far are written (records-after-answer: the audit rows
   * and their webhook events follow the answer by a second): every records timer of its latest run fired and done.
   */
  async recordsWritten(teamId: string): Promise<void> {
    const handle = this.temporal.workflow.getHandle(teamWorkflowId(teamId));
    await this.eventually(async () => (recordsTimersDone((await handle.fetchHistory()).events ?? []) || undefined));
  }

  async eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error('condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
