// The Temporal dev server is restarted on its persistent database (same SQLite file, same port) while updates keep
// arriving. The workflows resume where they were; every update whose result came back before the restart is
// still in their state; updates caught by the restart are sent again under the same update ID and count once.
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { addMembersUpdate, changePlanUpdate, subscribeUpdate, type teamSubscription } from '../../src/workflows';
import { checkLedgerInvariant, faultLabPerFile, report } from '../support/fault-harness';

const labOf = faultLabPerFile('temporal-restart');

/** Sends addMembers(1) under `updateId` until a result comes back (the same ID each time: one update, however often sent). */
async function addOneMember(
  handle: WorkflowHandle<typeof teamSubscription>,
  updateId: string,
): Promise<{ sends: number; members: number; sentAt: number; answeredAt: number }> {
  const sentAt = Date.now();
  for (let sends = 1; ; sends += 1) {
    try {
      const result = await handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }], updateId });
      return { sends, members: result.members, sentAt, answeredAt: Date.now() };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError || sends >= 60) throw error; // refused by the workflow: a real failure
      await sleep(500);
    }
  }
}

test('a Temporal server restarted on its database: workflows resume and no acknowledged update is lost', async () => {
  const lab = labOf();
  await lab.startWorker('worker');
  const teams = ['restart-a', 'restart-b', 'restart-c'];
  const initialMembers = 5;
  const handles = await Promise.all(teams.map((teamId) => lab.startTeam(teamId, { members: initialMembers })));
  await Promise.all(handles.map((handle) => handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] })));

  // Before: ten acknowledged updates per team.
  const acknowledgedBefore = new Map<string, number>();
  for (const [i, handle] of handles.entries()) {
    for (let n = 1; n <= 10; n++) await addOneMember(handle, `before-${n}`);
    acknowledgedBefore.set(teams[i]!, 10);
  }

  // During: each team keeps sending updates (one at a time) while the server goes down and comes back.
  let restarting = true;
  const during = handles.map(async (handle) => {
    const results: { updateId: string; sends: number; sentAt: number; answeredAt: number }[] = [];
    for (let n = 1; restarting || n <= 5; n++) {
      const updateId = `during-${n}`;
      results.push({ updateId, ...(await addOneMember(handle, updateId)) });
    }
    return results;
  });
  await sleep(500);
  const restart = await lab.restartTemporal(1_000);
  const backAt = Date.now();
  restarting = false;
  const duringResults = await Promise.all(during);

  // After: the workflows answer, take more updates, and still charge (an immediate upgrade).
  const upgrades = await Promise.all(handles.map((handle) => handle.executeUpdate(changePlanUpdate, { args: [{ plan: 'professional' }] })));
  for (const upgrade of upgrades) expect(upgrade).toMatchObject({ timing: 'immediate', invoice: { status: 'paid' } });

  for (const [i, teamId] of teams.entries()) {
    const sent = duringResults[i]!;
    const view = await lab.state(teamId);
    // Every distinct update ID counted exactly once: 10 before, the ones sent during, none lost, none doubled.
    expect(view.members).toBe(initialMembers + acknowledgedBefore.get(teamId)! + sent.length);
    expect(view).toMatchObject({ plan: 'professional', status: 'active' });
    const accepted = (await lab.histories(`team:${teamId}`))
      .flatMap((history) => history.events ?? [])
      .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId)
      .filter((id): id is string => typeof id === 'string' && /^(before|during)-/.test(id));
    expect(accepted.sort()).toEqual([...Array.from({ length: 10 }, (_, n) => `before-${n + 1}`), ...sent.map((r) => r.updateId)].sort());
  }

  // Updates sent before the server came back and answered after: the client's own retries carried them across.
  const acrossRestart = duringResults.flat().filter((r) => r.sentAt < backAt && r.answeredAt > backAt).length;
  expect(acrossRestart).toBeGreaterThan(0);
  const resent = duringResults.flat().filter((r) => r.sends > 1).length;
  const figures = await checkLedgerInvariant(lab.db);
  expect(figures).toMatchObject({ paidInvoices: teams.length * 2, payments: teams.length * 2 });
  report('Temporal restart', {
    serverDownMs: restart.downMs,
    acknowledgedBefore: teams.length * 10,
    sentWhileRestarting: duringResults.flat().length,
    carriedAcrossRestart: acrossRestart,
    resentAfterAnError: resent,
    ...figures,
  });
}, 150_000);
