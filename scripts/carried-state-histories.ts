// Histories of long-lived teams: a team's workflow runs for years, one run per period, each carrying its state into
// the next by continue-as-new. A run started under old code carries a state without the fields added since (the
// audit sequence, the read model's version, seat orders, the trial-ending notice day), and today's code must run it,
// and replay what it did, through its period boundary. Each scenario starts a run with a state shaped as runs from
// before a patch carried it, drives it across the boundary, and records that run (it ends in continue-as-new).
import type { temporal } from '@temporalio/proto';
import type { Day } from '../src/domain';
import type { SimulatedTeam, SimulationEngine } from '../src/simulation/engine';
import { addMembersUpdate, type TeamState } from '../src/workflows';

const card = { provider: 'sandbox' as const, paymentMethodId: 'pm_card_visa' };

/** The state runs carried before any patch (fa9cbbe): the fields every later state still has. */
type FirstCarriedState = Pick<
  TeamState,
  'teamId' | 'plan' | 'interval' | 'status' | 'members' | 'paymentMethod' | 'hadTrial' | 'trial' | 'period' | 'anchorDay'
  | 'pendingChange' | 'memberChanges' | 'nextReviewOn' | 'reminderOn' | 'dunning'
>;

interface CarriedScenario {
  /** The history's file name (without .json). */
  name: string;
  /** The business day the run starts on. */
  start: Day;
  carried: TeamState;
  /** What happens in the run before its period boundary. */
  during?: (handle: SimulatedTeam['handle']) => Promise<unknown>;
  /** The boundary: the run continues as new once this day has run. */
  boundary: Day;
}

const scenarios: CarriedScenario[] = [
  {
    // Monthly, from before serialized-requests, audit-events, the read model, refunds and seats: a member added
    // (the first audit row, its sequence starting from none), then the renewal charges the new period.
    name: 'team-carried-from-before-serialized-requests',
    start: '2026-06-10',
    carried: {
      teamId: 'carried-monthly', plan: 'basic', interval: 'month', status: 'active', members: 3, paymentMethod: card, hadTrial: false,
      trial: null, period: { start: '2026-05-20', end: '2026-06-20' }, anchorDay: 20, pendingChange: null, memberChanges: [],
      nextReviewOn: null, reminderOn: null, dunning: null,
    } satisfies FirstCarriedState,
    during: (handle) => handle.executeUpdate(addMembersUpdate, { args: [{ count: 2 }] }),
    boundary: '2026-06-20',
  },
  {
    // A trial started before trial-ending-notice (no trialNoticeOn: no notice), with an audit sequence and a payment
    // from an earlier subscription: the trial ends, the first period is charged.
    name: 'team-carried-from-before-trial-ending-notice',
    start: '2026-06-10',
    carried: {
      teamId: 'carried-trial', plan: 'professional', interval: 'month', status: 'trialing', members: 4, paymentMethod: card, hadTrial: true,
      trial: { start: '2026-06-01', end: '2026-06-15' }, period: null, anchorDay: null, pendingChange: null, memberChanges: [],
      nextReviewOn: null, reminderOn: null, dunning: null, lastPayment: null, lastPaymentFailure: null, auditSequence: 3,
      seatOrder: null, orderedSeats: null,
    },
    boundary: '2026-06-15',
  },
  {
    // Annual, from before the read model (no viewVersion) and seat-charge attempts: a downgrade to monthly waits for
    // the renewal, which applies it and starts the monthly period.
    name: 'team-carried-from-before-read-model',
    start: '2026-06-25',
    carried: {
      teamId: 'carried-annual', plan: 'professional', interval: 'year', status: 'active', members: 6, paymentMethod: card, hadTrial: false,
      trial: null, period: { start: '2025-07-01', end: '2026-07-01' }, anchorDay: 1,
      pendingChange: { plan: 'basic', interval: 'month', effectiveOn: '2026-07-01' }, memberChanges: [], nextReviewOn: null,
      reminderOn: null, dunning: null, lastPayment: null, lastPaymentFailure: null, auditSequence: 7, seatOrder: null, orderedSeats: null,
    },
    boundary: '2026-07-01',
  },
];

/** Runs each scenario on the engine and stores the run that crossed the boundary. */
export async function recordCarriedStates(
  engine: SimulationEngine,
  save: (name: string, history: temporal.api.history.v1.IHistory) => unknown,
): Promise<void> {
  for (const scenario of scenarios) {
    const { carried, start } = scenario;
    const team = await engine.startTeam({ teamId: carried.teamId, start, members: carried.members, carried });
    await scenario.during?.(team.handle);
    await team.advanceTo(scenario.boundary);
    const run = await engine.env.client.workflow.getHandle(team.handle.workflowId, team.handle.firstExecutionRunId).fetchHistory();
    if (!run.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes) throw new Error(`${scenario.name}: the run did not continue as new`);
    save(scenario.name, run);
  }
}
