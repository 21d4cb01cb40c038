import { WorkflowUpdateFailedError } from '@temporalio/client';
import { addDays, compareDays, type Day } from '../domain';
import {
  addMembersUpdate,
  addSeatsUpdate,
  buySeatsUpdate,
  cancelUpdate,
  pricePublishedSignal,
  redeemCodeUpdate,
  changePlanUpdate,
  recordInvoicePaymentUpdate,
  removeMembersUpdate,
  requestRefundUpdate,
  startTrialUpdate,
  subscribeUpdate,
  withdrawPendingChangeUpdate,
  type TeamSubscriptionView,
} from '../workflows';
import { type SimulatedTeam, SimulationEngine } from './engine';
import { openIsolatedLedger } from './isolated-ledger';
import { ledgerReport, type FinalState, type SimulationReport } from './report';
import type { Scenario, ScenarioEvent, ScenarioProblem } from './scenario';
import { createScenarioCoupons } from './coupons';
import { publishPrice } from '../ledger/pricing';

/** The scenario asked for something the engine refuses (its validators) or does not offer: exit code 2, HTTP 400. */
export class ScenarioRejected extends Error {
  constructor(readonly problems: ScenarioProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

export interface SimulationOptions {
  /** A Postgres server to hold the throwaway ledger database; an embedded one when absent. */
  databaseUrl?: string;
  progress?: (message: string) => void;
}

/**
 * The sandbox card a simulated team has on file: a succeeding test card of its own, so that `failPayments`
 * (which makes its next charges decline) touches no other team on the same engine.
 */
const cardOf = (teamId: string) => `pm_card_visa_${teamId}`;

/**
 * Runs a scenario through the real team workflow and activities on a time-skipping server, against a throwaway
 * ledger and the sandbox provider, and reports every invoice, balance change and notice it produced.
 * Each day: what the engine scheduled happens first (at midnight), then the scenario's events (at noon), in order.
 */
export async function runSimulation(scenario: Scenario, options: SimulationOptions = {}): Promise<SimulationReport> {
  const ledger = await openIsolatedLedger(options.databaseUrl);
  try {
    const engine = await SimulationEngine.start({ db: ledger.db });
    try {
      return await simulate(engine, scenario, { teamId: 'simulated-team', progress: options.progress });
    } finally {
      await engine.close();
    }
  } finally {
    await ledger.close();
  }
}

/** Runs one scenario for one team on an engine that may run others too (each team keeps its own business calendar). */
export async function simulate(
  engine: SimulationEngine,
  scenario: Scenario,
  options: { teamId: string; progress?: (message: string) => void },
): Promise<SimulationReport> {
  const { teamId } = options;
  const progress = options.progress ?? (() => undefined);
  progress(`simulating ${scenario.start} to ${scenario.until}, ${scenario.events.length} events`);
  const couponProblems = await createScenarioCoupons(engine.db, scenario.coupons ?? []);
  if (couponProblems.length > 0) throw new ScenarioRejected(couponProblems);
  const team = await startScenarioTeam(engine, scenario, teamId);
  const transfers: BankTransfer[] = [];
  for (const [index, event] of scenario.events.entries()) {
    await payTransfersDue(team, transfers, event.on);
    await team.advanceTo(event.on);
    const transfer = await applyEvent(engine, team, event, index);
    if (transfer) transfers.push(transfer);
    await team.settled(event.on);
  }
  const lastDay = addDays(scenario.until, -1);
  await payTransfersDue(team, transfers, lastDay);
  const view = await team.advanceTo(lastDay);
  progress(`reached ${lastDay}`);
  const summary = await engine.activities.teamLedgerSummary({ teamId, at: `${lastDay}T23:59:59.999Z` });
  return { ...(await ledgerReport(engine.db, teamId)), final: finalState(view, summary) };
}

/** The scenario's team on `engine`: its members, country, credits and balance on `start`, a sandbox card of its own. */
export function startScenarioTeam(engine: SimulationEngine, scenario: Scenario, teamId: string): Promise<SimulatedTeam> {
  return engine.startTeam({
    teamId,
    start: scenario.start,
    members: scenario.team.members,
    billingCountry: scenario.team.country,
    ...(scenario.team.taxId ? { taxId: scenario.team.taxId } : {}),
    card: cardOf(teamId),
    credits: scenario.team.credits,
    balance: scenario.team.balance,
  });
}

/** An invoice-first order's payment, made on `buySeats.payOn` (before that day's listed events). */
export interface BankTransfer {
  on: Day;
  invoiceId: string;
  index: number;
}

export async function payTransfersDue(team: SimulatedTeam, transfers: BankTransfer[], until: Day): Promise<void> {
  transfers.sort((a, b) => compareDays(a.on, b.on));
  while (transfers[0] && compareDays(transfers[0].on, until) <= 0) {
    const { on, invoiceId, index } = transfers.shift()!;
    await team.advanceTo(on);
    try {
      await team.handle.executeUpdate(recordInvoicePaymentUpdate, { args: [{ invoiceId, method: 'bank_transfer', reference: `${team.teamId}:transfer:${index}` }] });
    } catch (error) {
      if (!(error instanceof WorkflowUpdateFailedError)) throw error;
      throw new ScenarioRejected([{ field: `events[${index}].payOn`, message: `the engine refused the payment on ${on}: ${error.cause?.message ?? error.message}` }]);
    }
    await team.settled(on);
  }
}

/**
 * Applies one scenario event; an invoice-first order with `payOn` returns the payment to make that day. An event the
 * engine refuses throws ScenarioRejected naming it.
 */
export async function applyEvent(engine: SimulationEngine, team: SimulatedTeam, event: ScenarioEvent, index: number): Promise<BankTransfer | void> {
  const handle = team.handle;
  try {
    switch (event.action) {
      case 'startTrial':
        await handle.executeUpdate(startTrialUpdate, { args: [{ plan: event.plan, interval: event.interval }] });
        return;
      case 'subscribe':
        await handle.executeUpdate(subscribeUpdate, { args: [{ plan: event.plan, interval: event.interval }] });
        return;
      case 'addMembers':
        await handle.executeUpdate(addMembersUpdate, { args: [{ count: event.count }] });
        return;
      case 'removeMembers':
        await handle.executeUpdate(removeMembersUpdate, { args: [{ count: event.count }] });
        return;
      case 'changePlan':
        await handle.executeUpdate(changePlanUpdate, { args: [{ ...(event.plan ? { plan: event.plan } : {}), ...(event.interval ? { interval: event.interval } : {}) }] });
        return;
      case 'withdrawPendingChange':
        await handle.executeUpdate(withdrawPendingChangeUpdate, { args: [] });
        return;
      case 'cancel':
        await handle.executeUpdate(cancelUpdate, { args: [] });
        return;
      case 'grantCredits':
        await engine.activities.grantTeamCredits({
          key: `${team.teamId}:granted-credits:${index}`, teamId: team.teamId, amount: event.amount, acquiredAt: `${event.on}T12:00:00.000Z`, source: 'simulation',
        });
        return;
      case 'failPayments':
        await engine.sandbox.declineNextCharges(cardOf(team.teamId), event.count);
        return;
      case 'buySeats': {
        const { plan, seats, invoiceFirst } = event;
        const order = await handle.executeUpdate(buySeatsUpdate, { args: [{ plan, seats, ...(invoiceFirst ? { invoiceFirst } : {}) }] });
        if (event.payOn && order.invoice) return { on: event.payOn, invoiceId: order.invoice.invoiceId, index };
        return;
      }
      case 'addSeats':
        await handle.executeUpdate(addSeatsUpdate, { args: [{ count: event.count }] });
        return;
      case 'publishPrice': {
        // The catalog gets the version; the team hears of it as every running team does, by the publisher's signal.
        const { version } = await publishPrice(engine.db, { plan: event.plan, interval: event.interval, amount: event.amount, publishedOn: event.on, grandfathered: event.grandfather ?? false });
        await handle.signal(pricePublishedSignal, version);
        return;
      }
      case 'redeemCode':
        await handle.executeUpdate(redeemCodeUpdate, { args: [{ code: event.code }] });
        return;
      case 'requestRefund': {
        // The invoice named by its number, else the most recent payment.
        const named = event.invoice ? await engine.db('invoices').where({ team_id: team.teamId, number: event.invoice }).first<{ id: string } | undefined>('id') : null;
        if (event.invoice && !named) throw new ScenarioRejected([{ field: `events[${index}].invoice`, message: `the team has no invoice ${event.invoice}` }]);
        await handle.executeUpdate(requestRefundUpdate, { args: [named ? { invoiceId: named.id } : {}] });
        return;
      }
    }
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError) {
      throw new ScenarioRejected([{ field: `events[${index}]`, message: `the engine refused ${event.action} on ${event.on}: ${error.cause?.message ?? error.message}` }]);
    }
    throw error;
  }
}

function finalState(view: TeamSubscriptionView, ledger: { balance: number; credits: number }): FinalState {
  const free = view.plan === 'free';
  return {
    plan: view.plan,
    interval: free ? null : view.interval,
    status: view.status,
    members: view.members,
    seats: view.seats,
    balance: ledger.balance,
    credits: ledger.credits,
    periodEnd: view.periodEnd,
    pendingChange: view.pendingChange,
    restricted: view.restricted,
  };
}

export function simulatedDays(scenario: Scenario): number {
  let days = 0;
  for (let day: Day = scenario.start; compareDays(day, scenario.until) < 0; day = addDays(day, 1)) days += 1;
  return days;
}
