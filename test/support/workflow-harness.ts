// Workflow tests with the real ledger: one time-skipping Temporal server, one embedded Postgres, one worker
// running the real billing activities with the sandbox payment provider, and the workflows bundled once per
// test file. Teams are driven on the business calendar: each team's workflow gets a clock offset so that its
// "today" is the scenario's start day, and `advanceTo(day)` moves the server's clock to noon of that day.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createBillingActivities, type BillingActivities } from '../../src/activities';
import { createDb, migrateToLatest, type Db } from '../../src/db/knex';
import { epochMs, dayOf, instantFromEpochMs, MS_PER_DAY, type Cents, type Day } from '../../src/domain';
import { registerSearchAttributes } from '../../src/infra/search-attributes';
import type { PaymentProvider } from '../../src/payments/payment-provider';
import { createSandboxProvider, type SandboxProvider } from '../../src/payments/sandbox-provider';
import {
  stateQuery,
  teamSubscription,
  teamWorkflowId,
  teamWorkflowSummary,
  type TeamSubscriptionView,
} from '../../src/workflows';
import { TeamId } from '../../src/workflows/search-attributes';
import { createTimeSkippingEnv } from './time-skipping';

const NOON = MS_PER_DAY / 2;
const quietBundler = { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} };

export interface HarnessOptions {
  /** Wraps the sandbox provider, e.g. to fail after a charge was accepted. */
  wrapProvider?: (sandbox: SandboxProvider) => PaymentProvider;
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

export class WorkflowHarness {
  readonly taskQueue = 'billing-test';
  private worker!: Worker;
  private running!: Promise<void>;
  private teams = 0;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly db: Db,
    readonly sandbox: SandboxProvider,
    readonly activities: BillingActivities,
    readonly workflowBundle: WorkflowBundleWithSourceMap,
    private readonly postgres: ChildProcess,
    private readonly dir: string,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<WorkflowHarness> {
    const dir = mkdtempSync(join(tmpdir(), 'seatbill-wf-'));
    chmodSync(dir, 0o755); // the postgres user must reach its data directory
    const { postgres, url } = await startPostgres(join(dir, 'postgres'));
    const db = createDb(url);
    await migrateToLatest(db);
    const sandbox = createSandboxProvider({ db });
    const provider = options.wrapProvider ? options.wrapProvider(sandbox) : sandbox;
    const activities = createBillingActivities({ db, payments: { sandbox: provider } });
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietBundler });
    const env = await createTimeSkippingEnv();
    await registerSearchAttributes(env.connection, 'default');
    const harness = new WorkflowHarness(env, db, sandbox, activities, workflowBundle, postgres, dir);
    harness.worker = await Worker.create({ connection: env.nativeConnection, taskQueue: harness.taskQueue, workflowBundle, activities });
    harness.running = harness.worker.run();
    return harness;
  }

  async teardown(): Promise<void> {
    this.worker?.shutdown();
    await this.running?.catch(() => undefined);
    await this.env?.teardown();
    await this.db?.destroy();
    await stopPostgres(this.postgres);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Starts a team's workflow whose business "today" is `start` (at noon), with a working sandbox card by default. */
  async startTeam(options: {
    start: Day;
    members: number;
    teamId?: string;
    /** A sandbox test card; null for none. */
    card?: string | null;
    /** Credits contributed to the team on `start`. */
    credits?: Cents;
  }): Promise<TeamUnderTest> {
    const teamId = options.teamId ?? `team-${++this.teams}`;
    const clockOffsetMs = epochMs(options.start) + NOON - (await this.env.currentTimeMs());
    const card = options.card === undefined ? 'pm_card_visa' : options.card;
    await this.activities.ensureTeam({ teamId, name: `Team ${teamId}`, billingCountry: 'US' });
    if (options.credits) {
      await this.activities.grantTeamCredits({
        key: `${teamId}:credits:${options.start}`, teamId, amount: options.credits, acquiredAt: `${options.start}T12:00:00Z`, source: 'referral',
      });
    }
    const handle = await this.env.client.workflow.start(teamSubscription, {
      taskQueue: this.taskQueue,
      workflowId: teamWorkflowId(teamId),
      args: [{
        teamId,
        team: { name: `Team ${teamId}`, billingCountry: 'US' },
        members: options.members,
        ...(card ? { paymentMethod: { provider: 'sandbox' as const, paymentMethodId: card } } : {}),
        clockOffsetMs,
      }],
      staticSummary: teamWorkflowSummary(teamId),
      typedSearchAttributes: [{ key: TeamId, value: teamId }],
    });
    const team = new TeamUnderTest(this, teamId, handle, clockOffsetMs);
    await team.settled(options.start);
    return team;
  }
}

/** Starts test/support/embedded-postgres-process.ts under tsx and reads its URL. */
async function startPostgres(dataDir: string): Promise<{ postgres: ChildProcess; url: string }> {
  const root = join(__dirname, '../..');
  const postgres = spawn(join(root, 'node_modules/.bin/tsx'), [join(__dirname, 'embedded-postgres-process.ts'), dataDir], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    postgres.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((text) => text.startsWith('{"url"'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
    postgres.once('exit', (code) => reject(new Error(`embedded Postgres exited with code ${code} before it was ready`)));
  });
  return { postgres, url };
}

async function stopPostgres(postgres: ChildProcess | undefined): Promise<void> {
  if (!postgres || postgres.exitCode !== null) return;
  const exited = new Promise((resolve) => postgres.once('exit', resolve));
  postgres.stdin!.end();
  await exited;
}

export class TeamUnderTest {
  constructor(
    private readonly harness: WorkflowHarness,
    readonly teamId: string,
    readonly handle: WorkflowHandle<typeof teamSubscription>,
    readonly clockOffsetMs: number,
  ) {}

  /** The business day the server's clock is on, for this team. */
  async today(): Promise<Day> {
    return dayOf(instantFromEpochMs((await this.harness.env.currentTimeMs()) + this.clockOffsetMs));
  }

  /** Skips time to noon of `day` (business calendar) and waits until the workflow has run everything due. */
  async advanceTo(day: Day): Promise<void> {
    const target = epochMs(day) + NOON - this.clockOffsetMs;
    const now = await this.harness.env.currentTimeMs();
    if (target > now) await this.harness.env.sleep(target - now);
    await this.settled(day);
  }

  /** Waits until nothing is running and no scheduled event is due on or before `day`. */
  async settled(day: Day, timeoutMs = 30_000): Promise<TeamSubscriptionView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = await this.state().catch(() => null); // between two runs of a continue-as-new
      if (view && !view.busy && (view.nextEventOn === null || view.nextEventOn > day)) return view;
      if (Date.now() > deadline) throw new Error(`team ${this.teamId} did not settle on ${day}: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  state(): Promise<TeamSubscriptionView> {
    return this.harness.env.client.workflow.getHandle(this.handle.workflowId).query(stateQuery);
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
