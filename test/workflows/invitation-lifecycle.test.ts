import { createDirectory } from '../../src/ledger/accounts/directory';
import { MS_PER_DAY } from '../../src/domain';
import { billingManagerInvitations, billingNoticeRecipients, InvitationRefusal, type BillingManagerInvitations } from '../../src/invitations';
import { invitationWorkflowId, type InvitationView } from '../../src/workflows';
import { WorkflowHarness } from '../support/workflow-harness';

// Billing-manager invitations on the time-skipping server, with the real activities and ledger: the durable
// 7-day timer, the invited account alone accepting, and revocation.
let harness: WorkflowHarness;
let invitations: BillingManagerInvitations;
let serverNow = new Date(0);

const team = { teamId: 'team-inv' };
const organization = { organizationId: 'org-inv' };

beforeAll(async () => {
  harness = await WorkflowHarness.start();
  const { db } = harness;
  await db('organizations').insert({ id: organization.organizationId, name: 'Acme' });
  await db('users').insert([
    { id: 'owner', email: 'owner@acme.test', name: 'Olga' },
    { id: 'admin', email: 'admin@acme.test', name: 'Adam' },
    { id: 'ann', email: 'ann@acme.test', name: 'Ann' },
    { id: 'bob', email: 'bob@acme.test', name: 'Bob' },
  ]);
  await db('teams').insert({ id: team.teamId, organization_id: organization.organizationId, name: 'Team', billing_country: 'US' });
  await db('team_members').insert([
    { team_id: team.teamId, user_id: 'owner', role: 'owner' },
    { team_id: team.teamId, user_id: 'admin', role: 'admin' },
  ]);
  // The service's clock is the test server's, which time skipping moves.
  invitations = billingManagerInvitations({
    db, temporal: harness.env.client, taskQueue: harness.taskQueue, directory: createDirectory(db), now: () => serverNow,
  });
}, 180_000);

afterAll(() => harness?.teardown());

async function invite(email: string, scope: typeof team | typeof organization = team) {
  serverNow = new Date(await harness.env.currentTimeMs());
  const [invitation] = await invitations.invite(scope, [email], 'owner');
  return invitation!;
}

async function skip(ms: number) {
  await harness.env.sleep(ms);
  serverNow = new Date(await harness.env.currentTimeMs());
}

const refusalOf = (promise: Promise<unknown>) =>
  promise.then(() => null, (error: unknown) => (error instanceof InvitationRefusal ? error.code : Promise.reject(error)));
const result = (invitationId: string) => harness.env.client.workflow.getHandle(invitationWorkflowId(invitationId)).result() as Promise<InvitationView>;
const teamManagers = () => harness.db('team_billing_managers').where({ team_id: team.teamId }).pluck('user_id');
const row = (invitationId: string) => harness.db('billing_manager_invitations').where({ id: invitationId }).first('status', 'decided_by');
const notices = (invitationId: string) =>
  harness.db('notifications').where('idempotency_key', 'like', `invitation:${invitationId}:%`).orderBy('id')
    .select('kind', 'team_id', 'organization_id', 'recipient_user_id', 'recipient_email');

test('accepted at 6 days 23 hours: the invitee is a billing manager, and admins, billing managers and the invitee are told', async () => {
  const sent = await invite('Ann@Acme.test');
  expect(sent).toMatchObject({ email: 'ann@acme.test', status: 'pending', invitationId: expect.stringMatching(/^inv_[\w-]{32}$/) });

  await skip(6 * MS_PER_DAY + 23 * 3_600_000);
  const accepted = await invitations.accept(sent.invitationId, 'ann');

  expect(accepted).toMatchObject({ status: 'accepted', decidedBy: 'ann' });
  expect(await teamManagers()).toEqual(['ann']);
  expect(await notices(sent.invitationId)).toEqual([
    { kind: 'billing_manager_invited', team_id: team.teamId, organization_id: null, recipient_user_id: null, recipient_email: 'ann@acme.test' },
    { kind: 'billing_manager_added', team_id: team.teamId, organization_id: null, recipient_user_id: null, recipient_email: null },
    { kind: 'billing_manager_invitation_accepted', team_id: team.teamId, organization_id: null, recipient_user_id: 'ann', recipient_email: null },
  ]);
  const recipients = await billingNoticeRecipients(harness.db, team);
  expect(recipients.map(({ userId, roles }) => [userId, roles])).toEqual([['admin', ['admin']], ['ann', ['billing_manager']], ['owner', ['owner']]]);
  expect(await result(sent.invitationId)).toMatchObject({ status: 'accepted', decidedBy: 'ann' });

  // The same account accepting again (a retried request) gets the same acceptance.
  await expect(invitations.accept(sent.invitationId, 'ann')).resolves.toMatchObject({ status: 'accepted', decidedBy: 'ann' });
  await harness.db('team_billing_managers').where({ team_id: team.teamId }).delete();
}, 60_000);

test('accepted at 7 days and 1 second: `expired`, and nothing is granted', async () => {
  const sent = await invite('ann@acme.test');
  await skip(7 * MS_PER_DAY + 1000);

  expect(await refusalOf(invitations.accept(sent.invitationId, 'ann'))).toBe('invitation_expired');
  expect(await result(sent.invitationId)).toMatchObject({ status: 'expired', expiresAt: sent.expiresAt });
  expect(await row(sent.invitationId)).toEqual({ status: 'expired', decided_by: null });
  expect(await teamManagers()).toEqual([]);
  // The ended workflow is answered for by its row, the same way.
  expect(await refusalOf(invitations.accept(sent.invitationId, 'ann'))).toBe('invitation_expired');
}, 60_000);

test('another account gets "invalid invitation", and nothing changes: the invited account can still accept', async () => {
  const sent = await invite('ann@acme.test');

  expect(await refusalOf(invitations.accept(sent.invitationId, 'bob'))).toBe('invalid_invitation');
  expect(await refusalOf(invitations.accept('inv_doesNotExist', 'bob'))).toBe('invalid_invitation');
  expect(await row(sent.invitationId)).toEqual({ status: 'pending', decided_by: null });
  expect(await teamManagers()).toEqual([]);
  expect(await notices(sent.invitationId)).toHaveLength(1);
  // The validator refused it: the workflow's history holds no trace of the attempt.
  const history = await harness.env.client.workflow.getHandle(invitationWorkflowId(sent.invitationId)).fetchHistory();
  expect(history.events?.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(0);

  await expect(invitations.accept(sent.invitationId, 'ann')).resolves.toMatchObject({ status: 'accepted' });
  await harness.db('team_billing_managers').where({ team_id: team.teamId }).delete();
}, 60_000);

test('a revoked invitation cannot be accepted', async () => {
  const sent = await invite('ann@acme.test');

  await expect(invitations.revoke(team, sent.invitationId, 'admin')).resolves.toMatchObject({ status: 'revoked', decidedBy: 'admin' });
  expect(await refusalOf(invitations.accept(sent.invitationId, 'ann'))).toBe('invalid_invitation');
  expect(await result(sent.invitationId)).toMatchObject({ status: 'revoked' });
  expect(await teamManagers()).toEqual([]);
  // Revoking again is the same revocation; from another scope, there is no such invitation.
  await expect(invitations.revoke(team, sent.invitationId, 'admin')).resolves.toMatchObject({ status: 'revoked' });
  expect(await refusalOf(invitations.revoke(organization, sent.invitationId, 'admin'))).toBe('invitation_not_found');
}, 60_000);

test('one request, several emails: each its own invitation and workflow, with an unguessable ID', async () => {
  serverNow = new Date(await harness.env.currentTimeMs());
  const sent = await invitations.invite(team, ['x@acme.test', 'y@acme.test', 'X@acme.test '], 'owner');

  expect(sent.map((invitation) => invitation.email)).toEqual(['x@acme.test', 'y@acme.test']);
  expect(new Set(sent.map((invitation) => invitation.invitationId)).size).toBe(2);
  const described = await Promise.all(sent.map((invitation) => harness.env.client.workflow.getHandle(invitationWorkflowId(invitation.invitationId)).describe()));
  expect(described.map((workflow) => workflow.status.name)).toEqual(['RUNNING', 'RUNNING']);
  expect(await invitations.list(team)).toHaveLength(2);
  await Promise.all(sent.map((invitation) => invitations.revoke(team, invitation.invitationId, 'owner')));
}, 60_000);

test("an organization's billing manager, by invitation, hears of every team of the organization", async () => {
  const sent = await invite('bob@acme.test', organization);
  await invitations.accept(sent.invitationId, 'bob');

  expect(await harness.db('organization_billing_managers').where({ organization_id: organization.organizationId }).pluck('user_id')).toEqual(['bob']);
  expect((await billingNoticeRecipients(harness.db, team)).map((recipient) => recipient.userId)).toEqual(['admin', 'bob', 'owner']);
  expect((await notices(sent.invitationId)).map((notice) => [notice.kind, notice.organization_id])).toEqual([
    ['billing_manager_invited', organization.organizationId],
    ['billing_manager_added', organization.organizationId],
    ['billing_manager_invitation_accepted', organization.organizationId],
  ]);
}, 60_000);
