// The invitation email on a real SMTP server (the smtp-server package): it arrives once, to the invitee, with the
// link to the invitation's page (INVITATION_ACCEPT_URL set here; the page itself is test/portal/invitation-link.test.ts)
// and the expiry date; accepting through the API makes the invitee a billing manager.
import { randomUUID } from 'node:crypto';
import { spelledDate } from '../../src/domain';
import { decoded, type Received } from '../support/smtp-sink';
import { ApiHarness } from '../support/api-harness';
import { startEmailEnvironment, type EmailEnvironment } from '../support/document-emails';

let emails: EmailEnvironment;
let received: Received[];
let harness: ApiHarness;

beforeAll(async () => {
  emails = await startEmailEnvironment({ INVITATION_ACCEPT_URL: 'https://billing.example.com/portal/invitations/{invitationId}' });
  received = emails.smtp.received;
  harness = await ApiHarness.start();
}, 120_000);

afterAll(async () => {
  await harness?.teardown();
  await emails?.close();
}, 60_000);

jest.setTimeout(60_000);

test("the invitee gets one email with the invitation page's link and the expiry date, and accepts through the API", async () => {
  const owner = await harness.createUser('owner');
  const teamId = await harness.createTeam(owner.id);
  const email = `bm-${randomUUID()}@example.com`;
  const invitee = await harness.call(harness.platform(), 'post', '/v1/users', { email, name: 'Bea' }).expect(201);
  const token = await harness.call(harness.platform(), 'post', `/v1/users/${invitee.body.id}/tokens`, { label: 'tests' }).expect(201);

  const sent = await harness.call(harness.actingFor(owner.id), 'post', `/v1/teams/${teamId}/billing-manager-invitations`, { emails: [email] }).expect(201);
  const invitation = sent.body[0] as { invitationId: string; expiresAt: string };

  const message = await harness.eventually(async () => received.find((r) => r.to.includes(email)));
  const text = decoded(message.raw);
  expect(text).toMatch(/^Subject: You are invited to manage billing for Acme/m);
  expect(text).toContain(spelledDate(invitation.expiresAt)); // 'December 8, 2026, 22:48 UTC'
  expect(text).not.toContain(invitation.expiresAt);
  const link = /https:\/\/billing\.example\.com\/portal\/invitations\/[\w-]+/.exec(text)?.[0];
  expect(link).toBe(`https://billing.example.com/portal/invitations/${invitation.invitationId}`);
  expect(text).toContain(`<a href="${link}">Accept the invitation</a>`); // the HTML part

  const accept = `/v1/billing-manager-invitations/${invitation.invitationId}/accept`;
  const accepted = await harness.call(harness.withToken(token.body.token as string), 'post', accept).expect(200);
  expect(accepted.body).toMatchObject({ invitationId: invitation.invitationId, status: 'accepted', decidedBy: invitee.body.id });
  const managers = await harness.call(harness.actingFor(owner.id), 'get', `/v1/teams/${teamId}/billing-managers`).expect(200);
  expect(managers.body.map((m: { userId: string }) => m.userId)).toContain(invitee.body.id);

  // Sent once: one message row, one SMTP delivery; and the platform's events for both facts.
  const rows = await harness.db('email_messages').where({ recipient: email });
  expect(rows).toEqual([expect.objectContaining({ template: 'billing_manager_invited', status: 'sent' })]);
  expect(received.filter((r) => r.to.includes(email))).toHaveLength(1);
  const types = await harness.eventually(async () => {
    const events = (await harness.db('webhook_events').where({ team_id: teamId }).orderBy('seq').pluck('type')) as string[];
    return events.includes('billing_manager.accepted') ? events : undefined;
  });
  expect(types).toEqual(['billing_manager.invited', 'billing_manager.accepted']);
});
