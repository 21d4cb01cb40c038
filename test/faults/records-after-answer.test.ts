// A request in a burst has its records written after its answer (records-after-answer, records-in-bursts), by a timer
// the answering workflow task started: a worker SIGKILLed right after the answer, before the timer fired, loses nothing. The timer fires on the
// server whatever happened to the worker, and the next worker's run of the workflow writes the audit row and the view.
import { addMembersUpdate, subscribeUpdate } from '../../src/workflows';
import { faultLabPerFile, report } from '../support/fault-harness';

const labOf = faultLabPerFile('records-after-answer');

test('a worker SIGKILLed after a request answered, before its records were written: the next worker writes them once', async () => {
  const lab = labOf();
  const teamId = 'records-team';
  const first = await lab.startWorker('first');
  const handle = await lab.startTeam(teamId, { members: 5 });
  await handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  const auditRows = () => lab.db('audit_events').where({ team_id: teamId }).orderBy('id').pluck('idempotency_key') as Promise<string[]>;
  for (let tries = 0; (await auditRows()).length < 1; tries++) {
    if (tries > 300) throw new Error('the subscription was never audited');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // Two at once: the first alone writes its records before it answers; the second, in a burst, answers first.
  const answers = await Promise.all(['add-one', 'add-two'].map((updateId) => handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }], updateId })));
  const answeredAt = Date.now();
  await first.kill();
  const killedAfterMs = Date.now() - answeredAt;
  const answer = answers.find((a) => a.published)!;
  // The answer carried the view; the records timer (a second) had not fired yet: the second change is not written.
  expect(answer).toMatchObject({ members: 7, published: { view: { members: 7 } } });
  expect(await auditRows()).toHaveLength(2);

  await lab.startWorker('second');
  let rows = await auditRows();
  for (let tries = 0; rows.length < 3; tries++) {
    if (tries > 600) throw new Error(`the change's records were never written: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    rows = await auditRows();
  }
  const writtenAfterMs = Date.now() - answeredAt;
  expect(rows).toEqual([expect.stringMatching(/:subscribe:1$/), expect.stringMatching(/:add_members:2$/), expect.stringMatching(/:add_members:3$/)]);
  const view = (await lab.db('subscription_views').where({ team_id: teamId }).first('version', 'view')) as { version: number; view: { members: number } };
  expect(view).toEqual({ version: answer.published!.version, view: expect.objectContaining({ members: 7 }) });
  report('records after a SIGKILL after the answer', { killedAfterMs, writtenAfterMs, auditRows: rows.length });
}, 180_000);
