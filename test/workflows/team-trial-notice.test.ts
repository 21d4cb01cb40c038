// The trial-ending notice (trial end − 3 days) on the time-skipping server, with the real ledger: on its day, once,
// emailed to the team's admins and billing managers; none for a trial canceled before that day.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectory } from '../../src/ledger/accounts/directory';
import { cancelUpdate, startTrialUpdate, withdrawPendingChangeUpdate } from '../../src/workflows';
import { notificationEmailsWorkflowId } from '../../src/activities/relay';
import { recordWorkflowHistory } from '../support/record-history';
import { WorkflowHarness, type TeamUnderTest } from '../support/workflow-harness';

let harness: WorkflowHarness;
// The email activities read these at their first email: .eml files in a throwaway folder, and no log line for each.
const saved = { DATA_DIR: process.env.DATA_DIR, LOG_LEVEL: process.env.LOG_LEVEL };

beforeAll(async () => {
  process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'seatbill-trial-notice-'));
  process.env.LOG_LEVEL = 'warn';
  harness = await WorkflowHarness.start();
}, 180_000);

afterAll(async () => {
  await harness?.teardown();
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
}, 60_000);

jest.setTimeout(120_000);

const trialEnding = async (team: TeamUnderTest) => (await team.ledger()).notifications.filter((n) => n.kind === 'trial_ending');

async function emailsOf(notificationKey: string): Promise<{ recipient: string; template: string; subject: string }[]> {
  for (let i = 0; i < 200; i++) {
    const rows = (await harness.db('email_messages').where('idempotency_key', 'like', 'notification:%').select('idempotency_key', 'recipient', 'template', 'subject')) as {
      idempotency_key: string; recipient: string; template: string; subject: string;
    }[];
    const notice = (await harness.db('notifications').where({ idempotency_key: notificationKey }).first('id')) as { id: number } | undefined;
    const mine = rows.filter((row) => notice && row.idempotency_key.startsWith(`notification:${notice.id}:`));
    if (mine.length >= 2) return mine.map(({ recipient, template, subject }) => ({ recipient, template, subject })).sort((a, b) => a.recipient.localeCompare(b.recipient));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no emails for ${notificationKey}`);
}

test('a 14-day trial from 2026-03-01 gets its notice on 2026-03-12, once, emailed to its admins and billing managers', async () => {
  const team = await harness.startTeam({ start: '2026-03-01', members: 3 });
  const directory = createDirectory(harness.db);
  const [admin, member, manager] = await Promise.all(['admin', 'member', 'manager'].map((name) => directory.createUser({ email: `${name}-${team.teamId}@example.com`, name })));
  await directory.addMember(team.teamId, admin!.id, 'admin');
  await directory.addMember(team.teamId, member!.id, 'member');
  await directory.addBillingManager(team.teamId, manager!.id);

  expect(await team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] })).toMatchObject({ trialEnd: '2026-03-15' });
  expect(await team.state()).toMatchObject({ nextEventOn: '2026-03-12' });

  await team.advanceTo('2026-03-11');
  expect(await trialEnding(team)).toEqual([]);
  await team.advanceTo('2026-03-12');
  const key = `${team.teamId}:trial:2026-03-15:trial_ending`;
  expect(await trialEnding(team)).toEqual([{ on: '2026-03-12', kind: 'trial_ending', key }]);
  expect(await team.state()).toMatchObject({ status: 'trialing', nextEventOn: '2026-03-15' });

  const subject = `Team ${team.teamId}: your trial ends on March 15, 2026`; // as a person writes the day
  expect(await emailsOf(key)).toEqual([
    { recipient: admin!.email, template: 'trial_ending', subject },
    { recipient: manager!.email, template: 'trial_ending', subject },
  ]);
  // The notice is no webhook event.
  expect(await harness.db('webhook_events').where({ team_id: team.teamId }).where('idempotency_key', 'like', `${key}%`)).toEqual([]);

  await team.advanceTo('2026-03-15');
  expect(await trialEnding(team)).toHaveLength(1);
  expect(await team.state()).toMatchObject({ status: 'active', trial: null, period: { start: '2026-03-15', end: '2026-04-15' } });
  await team.recordHistory('trial-ending-notice', 0);
  await recordWorkflowHistory(harness.env.client, notificationEmailsWorkflowId(key), 'notification-emails-trial-ending');
});

test('a trial canceled before its notice day gets none; a cancel withdrawn before it does', async () => {
  const canceled = await harness.startTeam({ start: '2026-03-01', members: 3 });
  const withdrawn = await harness.startTeam({ start: '2026-03-01', members: 3 });
  for (const team of [canceled, withdrawn]) await team.handle.executeUpdate(startTrialUpdate, { args: [{ plan: 'basic', interval: 'month' }] });
  await canceled.advanceTo('2026-03-05');
  for (const team of [canceled, withdrawn]) await team.handle.executeUpdate(cancelUpdate);
  await withdrawn.advanceTo('2026-03-08');
  await withdrawn.handle.executeUpdate(withdrawPendingChangeUpdate);

  await canceled.advanceTo('2026-03-15');
  await withdrawn.advanceTo('2026-03-15');
  expect((await canceled.ledger()).notifications.map((n) => [n.on, n.kind])).toEqual([['2026-03-15', 'downgraded_to_free']]);
  expect((await withdrawn.ledger()).notifications.map((n) => [n.on, n.kind])).toEqual([['2026-03-12', 'trial_ending']]);
  expect(await withdrawn.state()).toMatchObject({ status: 'active' });
});
