// Runs one generated timeline through the real team workflow and activities (the simulation's own step functions),
// and after every step checks what must hold: the team invariants, the ledger invariant, that a refused request
// changed nothing, and that what the engine quoted before a charge (the upcoming invoice, a plan change's quote) is
// the invoice it then wrote, line for line, and the upcoming invoice's refunds to the balance what it then credited.
import type { Db } from '../../../src/ledger/db';
import { pendingChangePriceInForce, quoteAtPriceInForce } from '../../../src/api/quotes';
import { addDays, type Day } from '../../../src/domain';
import type { SimulatedTeam, SimulationEngine } from '../../../src/simulation/engine';
import { createScenarioCoupons } from '../../../src/simulation/coupons';
import { applyEvent, payTransfersDue, ScenarioRejected, startScenarioTeam, type BankTransfer } from '../../../src/simulation/run';
import type { Scenario, ScenarioEvent } from '../../../src/simulation/scenario';
import { stateQuery, upcomingInvoiceQuery, type TeamSubscriptionView, type UpcomingInvoice } from '../../../src/workflows';
import { checkLedgerInvariant } from '../ledger-invariant';
import { teamProblems } from './team-invariants';

export interface TimelineOutcome {
  /** The events the engine accepted, up to the first problem: a scenario `npm run simulate` reproduces. */
  accepted: Scenario;
  problems: string[];
  refused: number;
}

/** Real time one timeline may take; the slowest seen take a few seconds. */
const TIMELINE_LIMIT_MS = 120_000;

interface LedgerInvoice {
  id: string;
  issued_on: Day;
  reason: string;
  lines: { description: string; amount: number }[];
}

export class TimelineRunner {
  private readonly seen = new Set<string>();
  private readonly accepted: ScenarioEvent[] = [];
  private readonly transfers: BankTransfer[] = [];
  private problems: string[] = [];
  private refused = 0;

  private constructor(
    private readonly engine: SimulationEngine,
    private readonly db: Db,
    private readonly scenario: Scenario,
    private readonly team: SimulatedTeam,
  ) {}

  static async run(engine: SimulationEngine, db: Db, scenario: Scenario, teamId: string): Promise<TimelineOutcome> {
    // Each timeline starts from the seeded catalog, as a simulation's own ledger does: a price one timeline published
    // must not reach the next (a shrunk failure would depend on the timelines run before it).
    await engine.db('catalog_prices').where('version', '>', 1).delete();
    const couponProblems = await createScenarioCoupons(engine.db, scenario.coupons ?? []); // as simulate() does
    if (couponProblems.length > 0) throw new ScenarioRejected(couponProblems);
    const runner = new TimelineRunner(engine, db, scenario, await startScenarioTeam(engine, scenario, teamId));
    try {
      // A step that throws (a team that never settles, a query of a failed workflow) is a problem of the timeline.
      const steps = runner.steps().catch((error: Error) => { runner.problems.push(`the engine failed: ${error.message}`); });
      await Promise.race([steps, runner.stuckAfter(TIMELINE_LIMIT_MS)]);
    } finally {
      await runner.team.handle.terminate('timeline done').catch(() => undefined); // its clock must not run on under the next team
    }
    return { accepted: { ...scenario, events: runner.accepted }, problems: runner.problems, refused: runner.refused };
  }

  /**
   * A timeline that has not finished after `ms` of real time: the engine stopped answering (an update that never
   * completes, a workflow task that keeps failing). Reported with the last thing its history shows.
   */
  private async stuckAfter(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms).unref());
    const history = await this.engine.env.client.workflow.getHandle(this.team.handle.workflowId).fetchHistory().catch(() => null);
    const failed = history?.events?.filter((event) => event.workflowTaskFailedEventAttributes).at(-1)?.workflowTaskFailedEventAttributes?.failure;
    const last = history?.events?.at(-1);
    this.problems.push(`the engine stopped answering after ${ms / 1000} s: ${failed ? `workflow task failed: ${failed.message}` : `last event ${String(last?.eventType)}`}`);
  }

  private async steps(): Promise<void> {
    let upcoming = await this.upcoming();
    for (const [index, event] of this.scenario.events.entries()) {
      await this.payTransfers(event.on);
      const view = await this.reachDay(event.on);
      if (await this.check(`before event ${index} (${event.action} on ${event.on})`, view, upcoming)) return;
      await this.apply(event, index, view);
      if (this.problems.length > 0) return;
      const after = { ...(await this.team.settled(event.on)), today: event.on };
      if (await this.check(`after event ${index} (${event.action} on ${event.on})`, after, null)) return;
      upcoming = await this.upcoming();
    }
    const lastDay = addDays(this.scenario.until, -1);
    await this.payTransfers(lastDay);
    await this.check(`on the last day ${lastDay}`, await this.reachDay(lastDay), upcoming);
  }

  /**
   * The team on `day`, once all that was due has happened. Its `today` is the reader's day, as the API reads it
   * (withReadingTime): a workflow with nothing due since yesterday last ran yesterday.
   */
  private async reachDay(day: Day): Promise<TeamSubscriptionView> {
    return { ...(await this.team.advanceTo(day)), today: day };
  }

  private async apply(event: ScenarioEvent, index: number, before: TeamSubscriptionView): Promise<void> {
    const money = await this.money();
    const quoted = await quotedInvoice(this.db, before, event);
    try {
      const transfer = await applyEvent(this.engine, this.team, event, index);
      if (transfer) this.transfers.push(transfer);
      this.accepted.push(event);
    } catch (error) {
      if (!(error instanceof ScenarioRejected)) throw error;
      this.refused += 1;
      const after = { ...(await this.team.settled(event.on)), today: event.on };
      if (JSON.stringify(lasting(after)) !== JSON.stringify(lasting(before))) {
        this.problems.push(`refused ${event.action} on ${event.on} changed the subscription: ${JSON.stringify(lasting(before))} → ${JSON.stringify(lasting(after))}`);
      }
      const moneyAfter = await this.money();
      if (moneyAfter !== money) this.problems.push(`refused ${event.action} on ${event.on} changed the team's money: ${money} → ${moneyAfter}`);
      return;
    }
    if (!quoted) return;
    await this.team.settled(event.on);
    const written = (await this.newInvoices()).filter((invoice) => invoice.issued_on === event.on && invoice.reason === quoted.reason);
    if (!written.some((invoice) => sameLines(invoice.lines, quoted.lines))) {
      this.problems.push(`the quote of ${event.action} on ${event.on} was ${JSON.stringify(quoted.lines)}; the invoice written: ${JSON.stringify(written.map((i) => i.lines))}`);
    }
  }

  /** The invariants at `view`; the upcoming invoice, once its day has come, against the invoice written that day. */
  private async check(when: string, view: TeamSubscriptionView, upcoming: UpcomingInvoice | null): Promise<boolean> {
    const problems = [...await this.workflowProblems(), ...await teamProblems(this.db, view)];
    await checkLedgerInvariant(this.db, { teamId: this.team.teamId }).catch((error: Error) => problems.push(error.message));
    if (upcoming && upcoming.on <= view.today && upcoming.lines.length > 0) {
      const same = (await this.newInvoices()).filter((invoice) => invoice.issued_on === upcoming.on && invoice.reason === upcoming.reason);
      if (same.length > 0 && !same.some((invoice) => sameLines(invoice.lines, upcoming.lines))) {
        problems.push(`quotes: the upcoming ${upcoming.reason} of ${upcoming.on} was ${JSON.stringify(upcoming.lines)}; written: ${JSON.stringify(same.map((i) => i.lines))}`);
      }
      // A seat order's preview leaves out the refunds of the subscription it ends (settled the same day).
      const refunds = upcoming.refundsToBalance.reduce((sum, line) => sum + line.amount, 0);
      const refunded = await this.removedMembersRefund(upcoming.on);
      if (same.length > 0 && !upcoming.reason.startsWith('seat_') && refunded !== refunds) {
        problems.push(`quotes: the upcoming ${upcoming.reason} of ${upcoming.on} refunded ${JSON.stringify(upcoming.refundsToBalance)} to the balance; credited (net): ${refunded}`);
      }
    } else {
      await this.newInvoices(); // seen from now on
    }
    this.problems.push(...problems.map((problem) => `${when}: ${problem}`));
    return this.problems.length > 0;
  }

  /** A team's workflow runs for ever (continue-as-new): one that failed, or was ended, lost the team. */
  private async workflowProblems(): Promise<string[]> {
    return this.team.requireRunning().then(() => [], (error: Error) => [error.message]);
  }

  private async payTransfers(until: Day): Promise<void> {
    await payTransfersDue(this.team, this.transfers, until).catch((error: unknown) => {
      if (!(error instanceof ScenarioRejected)) throw error;
      this.refused += 1; // the payment was refused: the reproduction makes none
      const index = Number(/events\[(\d+)\]/.exec(error.problems[0]?.field ?? '')?.[1]);
      const event = this.scenario.events[index];
      const kept = this.accepted.findIndex((accepted) => accepted === event);
      if (kept >= 0 && event?.action === 'buySeats') this.accepted[kept] = { ...event, payOn: undefined };
    });
  }

  /** The invoices written since the last look, with their lines. */
  private async newInvoices(): Promise<LedgerInvoice[]> {
    const rows = (await this.db('invoices').where({ team_id: this.team.teamId }).whereNotIn('id', [...this.seen]).orderBy('created_at')
      .select('id', 'issued_on', 'reason')) as Omit<LedgerInvoice, 'lines'>[];
    const lines = (await this.db('invoice_lines').whereIn('invoice_id', rows.map((row) => row.id)).orderBy('position')
      .select('invoice_id', 'description', 'amount')) as { invoice_id: string; description: string; amount: number }[];
    for (const row of rows) this.seen.add(row.id);
    return rows.map((row) => ({ ...row, lines: lines.filter((line) => line.invoice_id === row.id).map(({ description, amount }) => ({ description, amount })) }));
  }

  /** What removed members' refunds gave the balance on `day`, net: its rows (net + tax) less their credit notes' tax. */
  private async removedMembersRefund(day: Day): Promise<number> {
    const where = { team_id: this.team.teamId };
    const credited = await this.db('balance_transactions').where({ ...where, reason: 'member_removed', on: day }).sum({ sum: 'amount' }).first();
    const tax = await this.db('credit_notes').where({ ...where, reason: 'member_removed', issued_on: day }).sum({ sum: 'tax' }).first();
    return Number(credited?.sum ?? 0) + Number(tax?.sum ?? 0);
  }

  /** The team's money as one comparable line: invoices not void, balance, credits left, payments. */
  private async money(): Promise<string> {
    const teamId = this.team.teamId;
    const invoices = await this.db('invoices').where({ team_id: teamId }).whereNot({ status: 'void' }).orderBy('id').select('id', 'status', 'total');
    const balance = await this.db('balance_transactions').where({ team_id: teamId }).sum({ sum: 'amount' }).first();
    const credits = await this.db('credit_grants').where({ team_id: teamId }).sum({ sum: 'remaining' }).first();
    const payments = await this.db('payments').where({ team_id: teamId }).orderBy('id').select('id', 'amount', 'refunded_amount');
    return JSON.stringify({ invoices, balance: balance?.sum ?? 0, credits: credits?.sum ?? 0, payments });
  }

  /** As the API asks it: a pending change's period at the price in force on its day (section 14). */
  private async upcoming(): Promise<UpcomingInvoice | null> {
    const handle = this.engine.env.client.workflow.getHandle(this.team.handle.workflowId);
    const { pendingChange } = await handle.query(stateQuery);
    return handle.query(upcomingInvoiceQuery, await pendingChangePriceInForce(this.db, pendingChange));
  }
}

/**
 * What the API would quote for a plan change or a subscription before it is made, at the price in force in the ledger's
 * catalog (as the API quotes); null where nothing is charged now.
 */
async function quotedInvoice(db: Db, view: TeamSubscriptionView, event: ScenarioEvent): Promise<{ reason: string; lines: { description: string; amount: number }[] } | null> {
  if (event.action !== 'changePlan' && !(event.action === 'subscribe' && view.status === 'free' && !view.seatOrder)) return null;
  if (view.seatOrder || view.trial) return null;
  try {
    const { planChange } = await quoteAtPriceInForce(db, view, { ...(event.plan ? { plan: event.plan } : {}), ...(event.interval ? { interval: event.interval } : {}) });
    const invoice = planChange?.invoice;
    if (!invoice || planChange.timing === 'deferred' || planChange.timing === 'trial') return null;
    return { reason: invoice.reason, lines: invoice.lines.map(({ description, amount }) => ({ description, amount })) };
  } catch {
    return null; // the API refuses to quote it; the workflow refuses it too, or the check above sees the invoice
  }
}

/** The view without what moves on its own (the day, whether a request is running). */
function lasting(view: TeamSubscriptionView): Omit<TeamSubscriptionView, 'today' | 'busy'> {
  const { today: _today, busy: _busy, ...rest } = view;
  return rest;
}

function sameLines(a: { description: string; amount: number }[], b: { description: string; amount: number }[]): boolean {
  return JSON.stringify(a.map(({ description, amount }) => ({ description, amount }))) === JSON.stringify(b.map(({ description, amount }) => ({ description, amount })));
}
