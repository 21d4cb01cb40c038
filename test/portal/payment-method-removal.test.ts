// Removing the card on file, in Debian's Chromium and through the API (issue 25): refused in words while a plan is
// still to be charged to it, removed on Free, and a member may not remove it.
import { portalForFile } from '../support/portal-harness';

const portal = portalForFile();

test('the API refuses to remove a card a plan still needs (409 payment_method_in_use) and a member\'s request; on Free it removes it', async () => {
  const { api } = portal();
  const owner = await api.createUser('Olivia');
  const member = await api.createUser('Mallory');
  const teamId = await api.createTeam(owner.id);
  const as = api.actingFor(owner.id);
  await api.call(as, 'post', `/v1/teams/${teamId}/members`, { userId: member.id, role: 'member' }).expect(201);
  await api.call(api.actingFor(member.id), 'delete', `/v1/teams/${teamId}/payment-method`).expect(403);

  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  const refused = await api.call(as, 'delete', `/v1/teams/${teamId}/payment-method`).expect(409);
  expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(refused.body).toMatchObject({ code: 'payment_method_in_use' });
  expect((await api.call(as, 'get', `/v1/teams/${teamId}/subscription`).expect(200)).body).toMatchObject({ plan: 'basic', hasPaymentMethod: true });

  const other = await api.createTeam(owner.id);
  await expect(api.call(as, 'delete', `/v1/teams/${other}/payment-method`).expect(200).then((res) => res.body)).resolves.toEqual({ hasPaymentMethod: false });
  expect((await api.call(as, 'get', `/v1/teams/${other}/subscription`).expect(200)).body).toMatchObject({ plan: 'free', hasPaymentMethod: false });
  const subscribe = await api.call(as, 'post', `/v1/teams/${other}/subscription`, { plan: 'basic', interval: 'month' }).expect(409);
  expect(subscribe.body).toMatchObject({ code: 'payment_method_required' });
});

test('in the portal: a subscribed team is told why its card stays; a team on Free removes it', async () => {
  const { api } = portal();
  const owner = await api.createUser('Olivia');
  const subscribed = await api.createTeam(owner.id);
  await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${subscribed}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);

  const page = await portal().browser();
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto((await portal().portalUrl(owner.id, subscribed)).url);
  await page.getByRole('link', { name: 'Payment methods' }).click();
  await page.getByRole('button', { name: 'Remove the card' }).click();
  await page.getByText('Your card pays your current plan or seat order. Cancel it first, or save another card instead.').waitFor();
  expect(await page.getByTestId('card-status').textContent()).toBe('A card is on file. It pays every invoice from now on.');
  await portal().screenshot(page, 'payment-method-in-use');

  const onFree = await api.createTeam(owner.id);
  await page.goto((await portal().portalUrl(owner.id, onFree)).url);
  await page.getByRole('link', { name: 'Payment methods' }).click();
  await page.getByRole('button', { name: 'Remove the card' }).click();
  await page.getByText('Your card was removed. Add one before you choose a paid plan again.').waitFor();
  expect(await page.getByTestId('card-status').textContent()).toBe('No card is on file yet.');
  await expect(page.getByRole('button', { name: 'Remove the card' }).count()).resolves.toBe(0);
  expect((await api.call(api.actingFor(owner.id), 'get', `/v1/teams/${onFree}/subscription`).expect(200)).body).toMatchObject({ hasPaymentMethod: false });
  await portal().screenshot(page, 'payment-method-removed');
});
