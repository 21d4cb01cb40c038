import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createBillingActivities, type BillingActivities } from '../activities';
import type { Db } from '../ledger/db';
import { dayOf, epochMs, instantFromEpochMs, MS_PER_DAY, type Cents, type Day } from '../domain';
import { setBillingDetails } from '../billing-details/billing-details';
import { taxIdValidator } from '../billing-details/tax-ids';
import { registerSearchAttributes } from '../infra/search-attributes';
import { createTimeSkippingEnv } from '../infra/time-skipping';
import { workflowBundle } from '../infra/workflow-bundle';
import type { PaymentProvider } from '../payments/payment-provider';
import { createSandboxProvider, type SandboxProvider } from '../payments/sandbox-provider';
import type { StripeInvoices } from '../payments/stripe-invoices';
import { stateQuery, teamSubscription, teamWorkflowId, teamWorkflowSummary, type TeamState, type TeamSubscriptionView } from '../workflows';
import { TeamId } from '../workflows/search-attributes';
import { createBillingWorker, type BillingWorker } from '../worker';

/** Scenario events happen at noon of their day, after whatever the engine scheduled for that day (at midnight). */
const NOON = MS_PER_DAY / 2;

export interface EngineOptions {
  db: Db;
  /** Wraps the sandbox provider, e.g. for fault injection in tests. */
  wrapProvider?: (sandbox: SandboxProvider) => PaymentProvider;
  /** Stripe's `send_invoice` invoices, for teams given a Stripe payment method (tests pass a recording fake). */
  stripeInvoices?: StripeInvoices;
  /** PAYMENT_PROVIDER_MAX_RPS for the worker and the activities alike; a simulation sets none (collections run locally). */
  maxChargesPerSecond?: number;
}

export interface SimulatedTeamOptions {
  teamId: string;
  /** The business calendar's first day. */
  start: Day;
  members: number;
  billingCountry?: string;
  /** A VAT ID of the billing country: a business for tax (section 13). */
  taxId?: string;
  /** A sandbox test card (`pm_card_visa` by default); null for no payment method. */
  card?: string | null;
  /** Credits already contributed to the team, granted on `start`. */
  credits?: Cents;
  /** A starting team balance. */
  balance?: Cents;
  /** A state as an earlier run carried it across continue-as-new (replay fixtures of long-lived teams); absent: a new team. */
  carried?: TeamState;
}

/**
 * The production team workflow and activities on a time-skipping Temporal server, against the ledger it is given and
 * the sandbox payment provider: what simulations (and workflow tests) run billing through, years in seconds.
 */
export class SimulationEngine {
  readonly taskQueue = 'simulation';
  private running!: Promise<void>;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly db: Db,
    readonly sandbox: SandboxProvider,
    readonly activities: BillingActivities,
    private readonly worker: BillingWorker,
  ) {}

  static async start(options: EngineOptions): Promise<SimulationEngine> {
    const sandbox = createSandboxProvider({ db: options.db });
    const provider = options.wrapProvider ? options.wrapProvider(sandbox) : sandbox;
    const { maxChargesPerSecond } = options;
    const activities = createBillingActivities({ db: options.db, payments: { sandbox: provider }, stripeInvoices: options.stripeInvoices, maxChargesPerSecond });
    const [bundle, env] = await Promise.all([workflowBundle(), createTimeSkippingEnv()]);
    try {
      await registerSearchAttributes(env.connection, 'default');
      // With the charges task queue's worker, on the same time-skipping server.
      const worker = await createBillingWorker({ connection: env.nativeConnection, taskQueue: 'simulation', bundle, activities, maxChargesPerSecond });
      const engine = new SimulationEngine(env, options.db, sandbox, activities, worker);
      engine.running = worker.run();
      return engine;
    } catch (error) {
      await env.teardown();
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running.catch(() => undefined);
    await this.env.teardown();
  }

  /** Starts a team's workflow whose business "today" is noon of `start`. */
  async startTeam(options: SimulatedTeamOptions): Promise<SimulatedTeam> {
    const { teamId, start } = options;
    const clockOffsetMs = epochMs(start) + NOON - (await this.env.currentTimeMs());
    const team = { name: `Team ${teamId}`, billingCountry: options.billingCountry ?? 'US' };
    await this.activities.ensureTeam({ teamId, ...team });
    if (options.taxId) {
      const set = await setBillingDetails(this.db, taxIdValidator(), teamId, { legalName: team.name, address: '', country: team.billingCountry, taxId: options.taxId });
      if (!set.ok) throw new RangeError(`${set.field}: ${set.message}`);
    }
    const acquiredAt = `${start}T00:00:00.000Z`;
    if (options.credits) {
      await this.activities.grantTeamCredits({ key: `${teamId}:opening-credits`, teamId, amount: options.credits, acquiredAt, source: 'opening' });
    }
    if (options.balance) {
      await this.activities.creditTeamBalance({ key: `${teamId}:opening-balance`, teamId, amount: options.balance, reason: 'opening_balance', on: start });
    }
    const card = options.card === undefined ? 'pm_card_visa' : options.card;
    const handle = await this.env.client.workflow.start(teamSubscription, {
      taskQueue: this.taskQueue,
      workflowId: teamWorkflowId(teamId),
      args: [{
        teamId,
        team,
        members: options.members,
        ...(card ? { paymentMethod: { provider: 'sandbox' as const, paymentMethodId: card } } : {}),
        clockOffsetMs,
        ...(options.carried ? { carried: options.carried } : {}),
      }],
      staticSummary: teamWorkflowSummary(teamId),
      typedSearchAttributes: [{ key: TeamId, value: teamId }],
    });
    const simulated = new SimulatedTeam(this, teamId, handle, clockOffsetMs);
    await simulated.settled(start);
    return simulated;
  }
}

export class SimulatedTeam {
  constructor(
    private readonly engine: SimulationEngine,
    readonly teamId: string,
    readonly handle: WorkflowHandleWithFirstExecutionRunId<typeof teamSubscription>,
    readonly clockOffsetMs: number,
  ) {}

  /** The business day the server's clock is on, for this team. */
  async today(): Promise<Day> {
    return dayOf(instantFromEpochMs((await this.engine.env.currentTimeMs()) + this.clockOffsetMs));
  }

  /** Skips time to noon of `day` on the business calendar, and waits until the workflow has done all that was due. */
  async advanceTo(day: Day): Promise<TeamSubscriptionView> {
    const target = epochMs(day) + NOON - this.clockOffsetMs;
    const now = await this.engine.env.currentTimeMs();
    if (target > now) await this.engine.env.sleep(target - now);
    return this.settled(day);
  }

  /** Waits until no request or scheduled event is running and nothing is due on or before `day`. */
  async settled(day: Day, timeoutMs = 60_000): Promise<TeamSubscriptionView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // Between two runs of a continue-as-new the query can fail for a moment: ask again.
      const view = await this.state().catch(() => null);
      if (view && !view.busy && (view.nextEventOn === null || view.nextEventOn > day)) return view;
      if (Date.now() > deadline) throw new Error(`team ${this.teamId} did not settle on ${day}: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Throws, with the failure's cause, when the team's workflow has ended (a team's workflow runs for ever). */
  async requireRunning(): Promise<void> {
    const handle = this.engine.env.client.workflow.getHandle(this.handle.workflowId);
    const { status } = await handle.describe();
    if (status.name === 'RUNNING') return;
    const failure = (await handle.fetchHistory()).events?.at(-1)?.workflowExecutionFailedEventAttributes?.failure;
    throw new Error(`team ${this.teamId}'s workflow is ${status.name}${failure ? `: ${failure.cause?.message ?? failure.message}` : ''}`);
  }

  /** The latest run's state: the handle follows continue-as-new. */
  state(): Promise<TeamSubscriptionView> {
    return this.engine.env.client.workflow.getHandle(this.handle.workflowId).query(stateQuery);
  }
}
