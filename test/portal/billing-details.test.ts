// Section 13 in the portal, in Debian's Chromium: an owner sets the team's billing details (a VAT ID that fails its
// checksum is refused, the field marked, nothing stored), the next invoice carries them and is reverse-charged, and
// a refund's credit note is listed beside the invoices with its PDF.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, portalForFile } from '../support/portal-harness';

const portal = portalForFile();

async function downloaded(download: { createReadStream(): Promise<NodeJS.ReadableStream> }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function pdfText(name: string, pdf: Buffer): string {
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync(process.execPath, [join(__dirname, '../support/pdf-text.mjs'), file], { encoding: 'utf8' });
}

test('an owner sets the billing details; a VAT ID failing its checksum is refused and marked, a valid one makes the next invoice reverse-charged', async () => {
  const { api } = portal();
  const owner = await api.createUser('Odile');
  const teamId = await api.createTeam(owner.id, { billingCountry: 'DE' });
  const as = api.actingFor(owner.id);

  const page = await portal().browser();
  await page.goto((await portal().portalUrl(owner.id, teamId)).url);
  await page.getByRole('link', { name: 'Billing details' }).click();
  await page.getByRole('heading', { level: 1, name: 'Billing details' }).waitFor();
  expect(await page.getByLabel('Country').inputValue()).toBe('DE');

  await page.getByLabel('Legal name').fill('Odile SAS');
  await page.getByLabel('Address').fill('1 rue de la Paix\n75002 Paris');
  await page.getByLabel('Country').fill('fr');
  const taxId = page.getByLabel(/^VAT ID/);
  await taxId.fill('FR40303265046'); // the checksum fails: ...045 is the valid one
  await page.getByRole('button', { name: 'Save billing details' }).click();
  await page.getByText('This VAT ID is not valid for the country given. Check it, or leave it empty.').waitFor();
  expect(await taxId.getAttribute('aria-invalid')).toBe('true');
  expect(await taxId.evaluate((input) => input === input.ownerDocument.activeElement)).toBe(true);
  await portal().screenshot(page, 'billing-details-refused');
  // Refused: nothing changed.
  expect((await api.call(as, 'get', `/v1/teams/${teamId}/billing-details`).expect(200)).body).toMatchObject({ country: 'DE', taxId: null });

  await taxId.fill('fr 40 303 265 045');
  await page.getByRole('button', { name: 'Save billing details' }).click();
  await page.getByText('Your billing details were saved. The next invoices carry them.').waitFor();
  // The page reloaded with what the API stored: the VAT ID normalized, the country upper case.
  expect(await page.getByLabel(/^VAT ID/).inputValue()).toBe('FR40303265045');
  expect(await page.getByLabel('Country').inputValue()).toBe('FR');
  expect(await page.getByLabel('Address').inputValue()).toBe('1 rue de la Paix\n75002 Paris');
  expect(await page.getByLabel(/^VAT ID/).getAttribute('aria-invalid')).toBeNull();
  await portal().screenshot(page, 'billing-details-saved');
  expect((await api.call(as, 'get', `/v1/teams/${teamId}/billing-details`).expect(200)).body).toEqual({
    legalName: 'Odile SAS', address: '1 rue de la Paix\n75002 Paris', country: 'FR', taxId: 'FR40303265045',
  });

  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  const [invoice] = (await api.call(as, 'get', `/v1/teams/${teamId}/invoices`).expect(200)).body;
  expect(invoice).toMatchObject({ tax: 0, total: invoice.net });
  await page.getByRole('link', { name: 'Invoices' }).click();
  const card = page.locator(`[data-invoice="${invoice.id}"]`);
  await card.getByText('Lines and payment').click();
  expect(await card.getByTestId('tax').locator('th').textContent()).toBe('VAT 0% (FR), reverse charge');
});

test('a member may not set the billing details: no page, and the page\'s call is refused', async () => {
  const { api } = portal();
  const owner = await api.createUser('Odile');
  const member = await api.createUser('Marc');
  const teamId = await api.createTeam(owner.id);
  await api.call(api.actingFor(owner.id), 'post', `/v1/teams/${teamId}/members`, { userId: member.id, role: 'member' }).expect(201);
  const page = await portal().browser();
  await page.goto((await portal().portalUrl(member.id, teamId)).url);
  await page.waitForLoadState('networkidle'); // the sign-in link's page moves on by itself: let it settle first
  expect((await page.goto(`${portal().baseUrl}/portal/billing-details`))?.status()).toBe(403);
  const status = await page.evaluate(async () => (await fetch('/portal/api/billing-details', {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ legalName: 'X', country: 'FR', taxId: null }),
  })).status);
  expect(status).toBe(403);
  expect((await api.call(api.actingFor(owner.id), 'get', `/v1/teams/${teamId}/billing-details`).expect(200)).body).toMatchObject({ country: 'US', legalName: 'Acme' });
});

test('a refund\'s credit note is listed beside the invoices, and its PDF names the invoice it corrects and the VAT given back', async () => {
  const { api } = portal();
  const owner = await api.createUser('Greta');
  const teamId = await api.createTeam(owner.id, { billingCountry: 'DE' });
  const as = api.actingFor(owner.id);
  await api.call(as, 'post', `/v1/teams/${teamId}/subscription`, { plan: 'basic', interval: 'month' }).expect(200);
  const [invoice] = (await api.call(as, 'get', `/v1/teams/${teamId}/invoices`).expect(200)).body;
  const [payment] = (await api.call(as, 'get', `/v1/teams/${teamId}/payments`).expect(200)).body;
  await api.call(as, 'post', `/v1/teams/${teamId}/payments/${payment.id}/refund`).expect(201);
  const [note] = (await api.call(as, 'get', `/v1/teams/${teamId}/credit-notes`).expect(200)).body;
  expect(note).toMatchObject({ invoiceNumber: invoice.number, net: -invoice.net, tax: -invoice.tax, total: -invoice.total });

  const page = await portal().browser();
  await page.goto((await portal().portalUrl(owner.id, teamId)).url);
  await page.getByRole('link', { name: 'Invoices' }).click();
  const row = page.locator(`[data-credit-note="${note.id}"]`);
  expect(await row.locator('th').textContent()).toBe(note.number);
  expect(await row.textContent()).toContain(invoice.number);
  await portal().screenshot(page, 'credit-notes');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('link', { name: /Download PDF/ }).click()]);
  expect(download.suggestedFilename()).toBe(`credit-note-${note.number}.pdf`);
  const text = pdfText('portal-credit-note', await downloaded(download));
  expect(text).toContain(note.number);
  expect(text).toContain(`Corrects invoice ${invoice.number}`);
  expect(text).toContain('VAT 19% (DE)');
  // A credit note the team does not have: a 404 page, no PDF.
  expect((await page.goto(`${portal().baseUrl}/portal/credit-notes/cn_unknown/pdf`))?.status()).toBe(404);
});
