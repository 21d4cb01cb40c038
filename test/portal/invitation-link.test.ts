// Issue 25: the invitation email's link, followed in Chromium from the .eml file the engine wrote. It opens the
// portal's invitation page (it once opened the API's POST accept route: a 401 JSON body), on the port the engine
// listens on; the person signs in through the app and accepts or declines, or, as another account, is refused.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { spelledDate } from '../../src/domain';
import { setEnvironment } from '../support/environment';
import { PortalHarness } from '../support/portal-harness';
import { startSaasSignIn, type SaasSignIn } from '../support/saas-sign-in';
import { decoded } from '../support/smtp-sink';

let portal: PortalHarness;
let saas: SaasSignIn;
let restoreEnvironment: (() => void) | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'seatbill-invitation-mail-'));

beforeAll(async () => {
  saas = await startSaasSignIn(() => portal);
  portal = await PortalHarness.start({ env: { PORTAL_SIGN_IN_URL: saas.url } });
  // The worker's email activities read these at their first email: no SMTP_URL, so .eml files under DATA_DIR/mail;
  // no link settings, so the default link, on the port the portal listens on.
  restoreEnvironment = setEnvironment({
    DATA_DIR: dataDir, PORT: new URL(portal.baseUrl).port, SMTP_URL: undefined, INVITATION_ACCEPT_URL: undefined, API_PUBLIC_URL: undefined,
  });
}, 180_000);

afterAll(async () => {
  await portal?.teardown();
  await saas?.close();
  restoreEnvironment?.();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);
jest.setTimeout(120_000);

interface Sent {
  invitationId: string;
  expiresAt: string;
  teamId: string;
  owner: string;
  invitee: { id: string; email: string };
}

/** An owner's team (Acme) invites a new account (Bea); the invitee's account exists in the app. */
async function invite(): Promise<Sent> {
  const { api } = portal;
  const owner = await api.createUser('Olivia');
  const teamId = await api.createTeam(owner.id);
  const email = `bea-${randomUUID()}@example.com`;
  const invitee = await api.call(api.platform(), 'post', '/v1/users', { email, name: 'Bea' }).expect(201);
  saas.accounts.set(email, invitee.body.id as string);
  const sent = await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/billing-manager-invitations`, { emails: [email] }).expect(201);
  const { invitationId, expiresAt } = sent.body[0] as { invitationId: string; expiresAt: string };
  return { invitationId, expiresAt, teamId, owner: owner.id, invitee: { id: invitee.body.id as string, email } };
}

/** The link in the .eml file written for `email` (its plain-text part), once the email has been sent. */
async function linkInEmail(email: string): Promise<{ link: string; text: string }> {
  const mail = join(dataDir, 'mail');
  const text = await portal.api.eventually(async () => {
    const files = readdirSync(mail).filter((name) => name.endsWith('.eml'));
    return files.map((name) => decoded(readFileSync(join(mail, name), 'utf8'))).find((message) => message.includes(`To: ${email}`));
  });
  const link = /^Accept the invitation: (\S+)$/m.exec(text)?.[1];
  if (!link) throw new Error(`no link in the email:\n${text}`);
  return { link, text };
}

/** Follows the email's link in a fresh browser and signs in to the app as `email`. */
async function followAndSignIn(link: string, email: string): Promise<Page> {
  const page = await portal.browser();
  await page.goto(link);
  await page.getByRole('heading', { level: 1, name: 'Sign in to the app' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Invitation to manage billing' }).waitFor();
  return page;
}

test("the email's link opens the invitation page on the engine's port; the invitee signs in, sees the team and the expiry, and accepts", async () => {
  const { api } = portal;
  const sent = await invite();
  const { link, text } = await linkInEmail(sent.invitee.email);
  expect(link).toBe(`http://localhost:${process.env.PORT}/portal/invitations/${sent.invitationId}`);
  expect(text).toContain(`<a href="${link}">Accept the invitation</a>`); // the HTML part
  const expiry = spelledDate(sent.expiresAt); // 'December 8, 2026, 22:48 UTC'
  expect(text).toContain(expiry);

  const page = await followAndSignIn(link, sent.invitee.email);
  expect(await page.getByTestId('invitation-scope').textContent()).toBe('Acme');
  expect(await page.getByTestId('invitation-invited-by').textContent()).toBe('Olivia');
  const expires = page.getByTestId('invitation-expires');
  expect(await expires.textContent()).toBe(expiry);
  expect(await expires.getAttribute('datetime')).toBe(sent.expiresAt);
  await portal.screenshot(page, 'invitation-pending');

  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByText('You are now a billing manager of Acme.').waitFor();
  expect(await page.getByTestId('invitation-outcome').textContent()).toBe('You are a billing manager of Acme.');
  await portal.screenshot(page, 'invitation-accepted');

  await page.getByRole('link', { name: 'Open billing for Acme' }).click();
  await page.getByRole('heading', { level: 1, name: 'Billing managers' }).waitFor();
  expect(await page.getByTestId('billing-managers').textContent()).toContain(sent.invitee.email);
  const managers = await api.call(api.actingFor(sent.owner), 'get', `/v1/teams/${sent.teamId}/billing-managers`).expect(200);
  expect(managers.body.map((m: { userId: string }) => m.userId)).toEqual([sent.invitee.id]);
});

test('the invitee declines: the invitation is closed and nobody becomes a billing manager', async () => {
  const { api } = portal;
  const sent = await invite();
  const { link } = await linkInEmail(sent.invitee.email);
  const page = await followAndSignIn(link, sent.invitee.email);

  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Decline' }).click();
  await page.getByText('You declined the invitation to manage billing for Acme.').waitFor();
  expect(await page.getByTestId('invitation-outcome').textContent()).toMatch(/^You declined this invitation\./);
  await expect(page.getByRole('button', { name: 'Accept' }).count()).resolves.toBe(0);
  await portal.screenshot(page, 'invitation-declined');

  const managers = await api.call(api.actingFor(sent.owner), 'get', `/v1/teams/${sent.teamId}/billing-managers`).expect(200);
  expect(managers.body).toEqual([]);
  const pending = await api.call(api.actingFor(sent.owner), 'get', `/v1/teams/${sent.teamId}/billing-manager-invitations`).expect(200);
  expect(pending.body).toEqual([]);
  // Declined is closed: accepting it afterwards is refused.
  await api.call(api.actingFor(sent.invitee.id), 'post', `/v1/billing-manager-invitations/${sent.invitationId}/accept`).expect(404);
});

test('an account with another email sees "This invitation is not valid." and cannot accept it, until signed in as the invitee', async () => {
  const { api } = portal;
  const sent = await invite();
  const { link } = await linkInEmail(sent.invitee.email);
  const eve = await api.createUser('Eve');
  const eveEmail = (await api.call(api.actingFor(eve.id), 'get', '/v1/users/me').expect(200)).body.email as string;
  saas.accounts.set(eveEmail, eve.id);

  const page = await followAndSignIn(link, eveEmail);
  expect(await page.getByTestId('invitation-outcome').textContent()).toBe('This invitation is not valid.');
  expect(await page.content()).not.toContain('Acme');
  await portal.screenshot(page, 'invitation-other-account');
  // Her page's own call is refused by the API too.
  const call = await page.evaluate(async (path) => {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: '{}' });
    return { status: res.status, body: (await res.json()) as { message: string } };
  }, `/portal/api/invitations/${sent.invitationId}/accept`);
  expect(call).toEqual({ status: 404, body: expect.objectContaining({ message: 'This invitation is not valid.' }) });
  const pending = await api.call(api.actingFor(sent.owner), 'get', `/v1/teams/${sent.teamId}/billing-manager-invitations`).expect(200);
  expect(pending.body.map((i: { invitationId: string }) => i.invitationId)).toEqual([sent.invitationId]);

  // Signed in again as the invited account, the same browser sees the invitation.
  await page.getByRole('link', { name: 'Sign in with another account' }).click();
  await page.getByLabel('Email').fill(sent.invitee.email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('invitation-scope').waitFor();
  expect(await page.getByTestId('invitation-scope').textContent()).toBe('Acme');
});
