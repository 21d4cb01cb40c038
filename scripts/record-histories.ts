// Records replay fixtures into test/workflows/histories/ (replayed by test/workflows/replay.test.ts):
//   credit-expiry-sweep-two-batches.json    the sweep over 501 due grants (two batches of the activity)
//   credit-expiry-sweep-nothing-due.json    the sweep with nothing to expire
//   billing-manager-invitation-revoked.json / -expired.json   an invitation revoked, and one left to expire
//   team-update-with-start-<variant>.json   a team created by update-with-start (subscribe in the first workflow
//                                           task); <variant> says whether the `serialized-requests` patch marker is in
//                                           it, so recording before and after that change keeps both histories
//   price-publication-one-page.json        a price's fan-out over one page: a running team told, a gone one not reached
//   team-carried-from-before-*.json         long-lived teams: a run started with a state shaped as runs from before a
//                                           patch carried it, through its period boundary (./carried-state-histories.ts)
// The team workflow's own scenarios are recorded by the workflow tests (TeamUnderTest.recordHistory).
// Runs the real workflows and activities on the time-skipping server against a throwaway ledger. Histories are
// append-only: a name already stored is kept as it is, and each new one is added to the manifest.
//   node --require tsx/cjs scripts/record-histories.ts   (CommonJS: under tsx's ESM loader protobufjs loads twice and historyToJSON fails)
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { dayOf, instantFromEpochMs } from '../src/domain';
import { publishPrice } from '../src/ledger/pricing';
import { SimulationEngine } from '../src/simulation/engine';
import { openIsolatedLedger } from '../src/simulation/isolated-ledger';
import {
  billingManagerInvitation,
  creditExpirySweep,
  invitationWorkflowId,
  pricePublication,
  pricePublicationWorkflowId,
  revokeInvitationUpdate,
  subscribeUpdate,
  teamSubscription,
  teamWorkflowId,
} from '../src/workflows';
import { SERIALIZED_REQUESTS } from '../src/workflows/patches';
import { TeamId } from '../src/workflows/search-attributes';
import { patchMarkersOf } from '../test/support/history-manifest';
import { storeHistory as save } from '../test/support/record-history';
import { recordCarriedStates } from './carried-state-histories';

async function recordSweeps(engine: SimulationEngine): Promise<void> {
  const { activities, env, taskQueue } = engine;
  const none = await env.client.workflow.start(creditExpirySweep, { taskQueue, workflowId: 'credit-expiry-sweep-nothing-due' });
  await none.result();
  save('credit-expiry-sweep-nothing-due', await none.fetchHistory());

  // 501 grants acquired in 2020 expired at the end of 2023: one full batch of 500, then one of 1.
  await activities.ensureTeam({ teamId: 'sweep-team', name: 'Sweep team', billingCountry: 'US' });
  for (let i = 0; i < 501; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, 501 - i) }, (_, j) =>
        activities.grantTeamCredits({ key: `sweep-team:grant:${i + j}`, teamId: 'sweep-team', amount: 100 + i + j, acquiredAt: '2020-03-01T00:00:00.000Z', source: 'referral' }),
      ),
    );
  }
  const sweep = await env.client.workflow.start(creditExpirySweep, { taskQueue, workflowId: 'credit-expiry-sweep-two-batches' });
  const result = await sweep.result();
  if (result.grants !== 501) throw new Error(`the sweep expired ${result.grants} grants, expected 501`);
  save('credit-expiry-sweep-two-batches', await sweep.fetchHistory());
}

/** Two invitations to one team: one revoked at once, one left until its 7-day timer expires it. */
async function recordInvitations(engine: SimulationEngine): Promise<void> {
  const { env, taskQueue, db } = engine;
  const sentAt = instantFromEpochMs(await env.currentTimeMs());
  for (const outcome of ['revoked', 'expired'] as const) {
    const invitationId = `inv-${outcome}`;
    const scope = { teamId: 'invitation-team' };
    await db('billing_manager_invitations').insert({
      id: invitationId, team_id: scope.teamId, email: `${outcome}@example.com`, sent_at: sentAt, expires_at: new Date(Date.parse(sentAt) + 7 * 86_400_000),
    });
    const handle = await env.client.workflow.start(billingManagerInvitation, {
      taskQueue, workflowId: invitationWorkflowId(invitationId), args: [{ invitationId, scope, email: `${outcome}@example.com`, sentAt }],
    });
    if (outcome === 'revoked') await handle.executeUpdate(revokeInvitationUpdate, { args: [{ revokedBy: null }] });
    const view = await handle.result(); // skips the 7 days when nothing decided it
    if (view.status !== outcome) throw new Error(`invitation ${invitationId} ended ${view.status}, expected ${outcome}`);
    save(`billing-manager-invitation-${outcome}`, await handle.fetchHistory());
  }
}

/** A team created the way a client does it in one call: update-with-start, the subscribe in the first task. */
async function recordUpdateWithStart(engine: SimulationEngine): Promise<void> {
  const { env, taskQueue, activities } = engine;
  const teamId = 'uws-team';
  const team = { name: 'Update-with-start team', billingCountry: 'US' };
  await activities.ensureTeam({ teamId, ...team }); // as the API does before it starts the workflow
  const start = new WithStartWorkflowOperation(teamSubscription, {
    taskQueue,
    workflowId: teamWorkflowId(teamId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ teamId, team, members: 4, paymentMethod: { provider: 'sandbox', paymentMethodId: 'pm_card_visa' } }],
    typedSearchAttributes: [{ key: TeamId, value: teamId }],
  });
  const invoice = await env.client.workflow.executeUpdateWithStart(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }], startWorkflowOperation: start });
  if (invoice.status !== 'paid') throw new Error(`the subscribe invoice is ${invoice.status}`);
  // The first run continues as new once the subscription's period started: record that first run, whole.
  const handle = await start.workflowHandle();
  let first: temporal.api.history.v1.IHistory | undefined;
  for (let tries = 0; !first; tries++) {
    const latest = await env.client.workflow.getHandle(handle.workflowId).fetchHistory();
    const previous = latest.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (previous) first = await env.client.workflow.getHandle(handle.workflowId, previous).fetchHistory();
    else if (tries > 100) throw new Error('the first run did not continue as new');
    else await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const variant = patchMarkersOf(first).includes(SERIALIZED_REQUESTS) ? SERIALIZED_REQUESTS : `before-${SERIALIZED_REQUESTS}`;
  save(`team-update-with-start-${variant}`, first);
}

/** After recordUpdateWithStart: its team (Basic monthly) hears of a new Basic monthly price; a team gone from Temporal does not. */
async function recordPricePublication(engine: SimulationEngine): Promise<void> {
  const { env, taskQueue, db } = engine;
  const today = dayOf(instantFromEpochMs(await env.currentTimeMs()));
  await db('teams').insert({ id: 'gone-team', name: 'Gone team', billing_country: 'US' }).onConflict('id').ignore();
  await db('subscription_views').insert({ team_id: 'gone-team', version: 1, published_at: new Date(), view: JSON.stringify({ plan: 'basic', interval: 'month' }) }).onConflict('team_id').ignore();
  const { version } = await publishPrice(db, { plan: 'basic', interval: 'month', amount: 1500, publishedOn: today, grandfathered: false });
  const fanOut = await env.client.workflow.start(pricePublication, { taskQueue, workflowId: pricePublicationWorkflowId(version), args: [{ version }] });
  const totals = await fanOut.result();
  if (totals.told !== 1 || totals.notReached !== 1) throw new Error(`the fan-out told ${JSON.stringify(totals)}, expected 1 told and 1 not reached`);
  save('price-publication-one-page', await fanOut.fetchHistory());
}

async function main(): Promise<void> {
  const ledger = await openIsolatedLedger();
  try {
    const engine = await SimulationEngine.start({ db: ledger.db });
    try {
      process.stderr.write(`server day: ${dayOf(instantFromEpochMs(await engine.env.currentTimeMs()))}\n`);
      await recordSweeps(engine);
      await recordInvitations(engine);
      await recordUpdateWithStart(engine);
      await recordPricePublication(engine);
      await recordCarriedStates(engine, save);
    } finally {
      await engine.close();
    }
  } finally {
    await ledger.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
}
