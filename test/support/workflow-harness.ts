// Workflow tests with the real ledger: the simulation engine (one time-skipping Temporal server, one worker running
// the real billing activities with the sandbox payment provider) on a throwaway embedded Postgres. Teams are driven
// on the business calendar: each team's workflow gets a clock offset so that its "today" is the scenario's start
// day, and `advanceTo(day)` moves the server's clock to noon of that day.
import { WorkflowUpdateFailedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../../src/ledger/db';
import type { Cents, Day } from '../../src/domain';
import type { PaymentProvider } from '../../src/payments/payment-provider';
import type { SandboxProvider } from '../../src/payments/sandbox-provider';
import type { StripeInvoices } from '../../src/payments/stripe-invoices';
import { SimulationEngine, type SimulatedTeam, type SimulatedTeamOptions } from '../../src/simulation/engine';
import { openIsolatedLedger, type IsolatedLedger } from '../../src/simulation/isolated-ledger';
import { recordingHistories, storeHistory } from './record-history';
import { recordsTimersDone } from './run-tasks';
import { RECORDS_AFTER_ANSWER_MS } from '../../src/workflows/team/change-records';
import type { teamSubscription, TeamSubscriptionView } from '../../src/workflows';

export interface HarnessOptions {
  /** Wraps the sandbox provider, e.g. to fail after a charge was accepted. */
  wrapProvider?: (sandbox: SandboxProvider) => PaymentProvider;
  /** Stripe's `send_invoice` invoices (a recording fake in workflow tests). */
  stripeInvoices?: StripeInvoices;
  /** PAYMENT_PROVIDER_MAX_RPS: collections on the charges task queue, paced; none by default (collected locally). */
  maxChargesPerSecond?: number;
}

export interface LedgerInvoice {
  key: string;
  on: Day;
  reason: string;
  status: string;
  total: Cents;
  balanceApplied: Cents;
  creditsApplied: Cents;
  charged: Cents;
  periodStart: Day | null;
  periodEnd: Day | null;
  lines: { kind: string; description: string; amount: Cents }[];
}

export interface TeamLedgerRows {
  invoices: LedgerInvoice[];
  payments: { invoiceKey: string; amount: Cents; provider: string }[];
  balance: { on: Day; amount: Cents; reason: string }[];
  notifications: { on: Day; kind: string; key: string }[];
  /** Charges the sandbox provider accepted or declined for this team's invoices. */
  providerCharges: { key: string; amount: Cents; status: string }[];
}

/**
 * The simulation engine (src/simulation/engine.ts) on a throwaway embedded Postgres, plus what tests read: the
 * ledger rows of a team and the histories of its runs.
 */
export class WorkflowHarness {
  private teams = 0;

  private constructor(
    private readonly engine: SimulationEngine,
    private readonly ledgerDb: IsolatedLedger,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<WorkflowHarness> {
    const ledger = await openIsolatedLedger();
    try {
      const { wrapProvider, stripeInvoices, maxChargesPerSecond } = options;
      return new WorkflowHarness(await SimulationEngine.start({ db: ledger.db, wrapProvider, stripeInvoices, maxChargesPerSecond }), ledger);
    } catch (error) {
      await ledger.close();
      throw error;
    }
  }

  get env(): TestWorkflowEnvironment {
    return this.engine.env;
  }

  get db(): Db {
    return this.engine.db;
  }

  get taskQueue(): string {
    return this.engine.taskQueue;
  }

  get sandbox(): SandboxProvider {
    return this.engine.sandbox;
  }

  async teardown(): Promise<void> {
    await this.engine.close();
    await this.ledgerDb.close();
  }

  /** Starts a team's workflow whose business "today" is `start` (at noon), with a working sandbox card by default. */
  async startTeam(options: Omit<SimulatedTeamOptions, 'teamId'> & { teamId?: string }): Promise<TeamUnderTest> {
    const team = await this.engine.startTeam({ ...options, teamId: options.teamId ?? `team-${++this.teams}` });
    return new TeamUnderTest(this, team);
  }
}

export class TeamUnderTest {
  constructor(
    private readonly harness: WorkflowHarness,
    private readonly team: SimulatedTeam,
  ) {}

  get teamId(): string {
    return this.team.teamId;
  }

  get handle(): WorkflowHandleWithFirstExecutionRunId<typeof teamSubscription> {
    return this.team.handle;
  }

  today(): Promise<Day> {
    return this.team.today();
  }

  /** Skips time to noon of `day` (business calendar) and waits until the workflow has run everything due. */
  async advanceTo(day: Day): Promise<void> {
    await this.team.advanceTo(day);
  }

  settled(day: Day): Promise<TeamSubscriptionView> {
    return this.team.settled(day);
  }

  state(): Promise<TeamSubscriptionView> {
    return this.team.state();
  }

  /**
   * Waits until the records of the requests answered so far are written (records-after-answer): the records timer's
   * second skipped, then every records timer of the latest run fired and its workflow task completed.
   */
  async recordsWritten(timeoutMs = 30_000): Promise<void> {
    await this.harness.env.sleep(RECORDS_AFTER_ANSWER_MS);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const history = await this.harness.env.client.workflow.getHandle(this.handle.workflowId).fetchHistory();
      if (recordsTimersDone(history.events ?? [])) return;
      if (Date.now() > deadline) throw new Error(`team ${this.teamId}: the records timer's write did not complete within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Every run of the workflow so far, first to last, following continue-as-new. */
  async runs(): Promise<{ runId: string; history: temporal.api.history.v1.IHistory }[]> {
    const runs: { runId: string; history: temporal.api.history.v1.IHistory }[] = [];
    let runId: string | undefined = this.handle.firstExecutionRunId;
    while (runId) {
      const history = await this.harness.env.client.workflow.getHandle(this.handle.workflowId, runId).fetchHistory();
      runs.push({ runId, history });
      const last = history.events?.at(-1);
      runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
    return runs;
  }

  /** Stores the history of run `index` (after the runs so far) as a replay fixture (see ./record-history). */
  async recordHistory(name: string, index: number): Promise<void> {
    if (!recordingHistories()) return;
    const run = (await this.runs())[index];
    if (!run) throw new Error(`team ${this.teamId} has no run ${index}`);
    storeHistory(name, run.history);
  }

  async ledger(): Promise<TeamLedgerRows> {
    const db = this.harness.db;
    const invoiceRows = (await db('invoices').where({ team_id: this.teamId }).orderBy([{ column: 'issued_on' }, { column: 'created_at' }])) as {
      id: string; idempotency_key: string; issued_on: Day; reason: string; status: string; total: Cents; balance_applied: Cents;
      credits_applied: Cents; charged: Cents; period_start: Day | null; period_end: Day | null;
    }[];
    const invoices: LedgerInvoice[] = [];
    for (const row of invoiceRows) {
      const lines = (await db('invoice_lines').where({ invoice_id: row.id }).orderBy('position').select('kind', 'description', 'amount')) as LedgerInvoice['lines'];
      invoices.push({
        key: row.idempotency_key, on: row.issued_on, reason: row.reason, status: row.status, total: row.total,
        balanceApplied: row.balance_applied, creditsApplied: row.credits_applied, charged: row.charged,
        periodStart: row.period_start, periodEnd: row.period_end, lines,
      });
    }
    const payments = (await db('payments')
      .join('invoices', 'invoices.id', 'payments.invoice_id')
      .where('payments.team_id', this.teamId)
      .orderBy('payments.paid_at')
      .select({ invoiceKey: 'invoices.idempotency_key', amount: 'payments.amount', provider: 'payments.provider' })) as TeamLedgerRows['payments'];
    const balance = (await db('balance_transactions').where({ team_id: this.teamId }).orderBy('id').select('on', 'amount', 'reason')) as TeamLedgerRows['balance'];
    const notifications = (await db('notifications')
      .where({ team_id: this.teamId })
      .orderBy('id')
      .select('on', 'kind', { key: 'idempotency_key' })) as TeamLedgerRows['notifications'];
    const providerCharges = (await db('sandbox_charges')
      .where('idempotency_key', 'like', `${this.teamId}:%`)
      .orderBy('created_at')
      .select({ key: 'idempotency_key' }, 'amount', 'status')) as TeamLedgerRows['providerCharges'];
    return { invoices, payments, balance, notifications, providerCharges };
  }
}

/**
 * The harness of a test file: started before its tests, torn down after them, so each file needs one line of set-up
 * (`const harness = workflowHarnessForFile();`). What it returns stands for the started harness, which exists only
 * once `beforeAll` has run: the tests use it, the file's top level does not.
 */
export function workflowHarnessForFile(options: HarnessOptions = {}): WorkflowHarness {
  let started: WorkflowHarness | undefined;
  beforeAll(async () => {
    started = await WorkflowHarness.start(options);
  }, 180_000);
  afterAll(() => started?.teardown(), 60_000);
  return new Proxy({} as WorkflowHarness, {
    get(_, key) {
      if (!started) throw new Error('the workflow harness is started in beforeAll: use it inside tests');
      const value: unknown = Reflect.get(started, key, started);
      // Methods are bound to the harness; what its getters return (the knex instance is a function too) is not.
      const method = typeof Object.getOwnPropertyDescriptor(WorkflowHarness.prototype, key)?.value === 'function';
      return method ? (value as (...args: unknown[]) => unknown).bind(started) : value;
    },
  });
}

/** The type an update was refused with (the API's problem code); throws when the update did not fail that way. */
export async function refusalType(update: Promise<unknown>): Promise<string | undefined> {
  const error = await update.then(() => null, (e: unknown) => e);
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`expected a refused update, got ${String(error)}`);
  return (error.cause as { type?: string }).type;
}
