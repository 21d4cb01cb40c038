// Sections 5 and 9 (member changes, renewals, renewal reminder) on the time-skipping server, with the real ledger.
import { addMembersUpdate, removeMembersUpdate, subscribeUpdate, upcomingInvoiceQuery } from '../../src/workflows';
import { workflowHarnessForFile, type TeamUnderTest } from '../support/workflow-harness';

const harness = workflowHarnessForFile();

jest.setTimeout(120_000);

/** Basic, 10 members, subscribed on 2026-05-20: the anchor of the examples. */
async function basicTeam(interval: 'month' | 'year'): Promise<TeamUnderTest> {
  const team = await harness.startTeam({ start: '2026-05-20', members: 10 });
  const invoice = await team.handle.executeUpdate(subscribeUpdate, { args: [{ plan: 'basic', interval }] });
  expect(invoice).toMatchObject({ reason: 'subscribe', total: interval === 'month' ? 12000 : 108000, status: 'paid' });
  return team;
}

test('M1: a member added 2026-05-25 is charged 1200 × 26/31 = 1006 at the renewal: 13200 + 1006 = 14206', async () => {
  const team = await basicTeam('month');
  await team.advanceTo('2026-05-25');
  expect(await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] })).toMatchObject({ members: 11, restricted: false });
  const preview = await team.handle.query(upcomingInvoiceQuery);
  expect(preview).toMatchObject({ on: '2026-06-20', reason: 'renewal', total: 14206 });

  await team.advanceTo('2026-06-20');
  const { invoices } = await team.ledger();
  const renewal = invoices.find((i) => i.reason === 'renewal');
  expect(renewal).toMatchObject({
    key: `${team.teamId}:renewal:2026-06-20:n2`, on: '2026-06-20', status: 'paid', total: 14206, charged: 14206,
    periodStart: '2026-06-20', periodEnd: '2026-07-20',
    lines: [
      { kind: 'period', description: 'Basic, monthly, 11 members, Jun 20 – Jul 20', amount: 13200 },
      { kind: 'members_added', description: 'Basic, 1 member added May 25, 26/31 days', amount: 1006 },
    ],
  });
  expect(renewal!.lines.map((l) => l.amount)).toEqual(preview!.lines.map((l) => l.amount)); // the preview was what got charged
  expect(await team.state()).toMatchObject({ members: 11, periodEnd: '2026-07-20', status: 'active' });
  await team.recordHistory('monthly-renewal-provider-rate-limit', 1); // the renewal's collection on the charges task queue
});

test('M2: a member removed 2026-05-25 refunds 1006 to the balance, used first: renewal 10800, balance 1006, card 9794', async () => {
  const team = await basicTeam('month');
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  await team.advanceTo('2026-06-20');
  const { invoices, balance, payments } = await team.ledger();
  expect(balance).toEqual([
    { on: '2026-06-20', amount: 1006, reason: 'member_removed' },
    { on: '2026-06-20', amount: -1006, reason: 'invoice_payment' },
  ]);
  expect(invoices.find((i) => i.reason === 'renewal')).toMatchObject({
    total: 10800, balanceApplied: 1006, creditsApplied: 0, charged: 9794, status: 'paid',
    lines: [{ kind: 'period', description: 'Basic, monthly, 9 members, Jun 20 – Jul 20', amount: 10800 }],
  });
  expect(payments.map((p) => p.amount)).toEqual([12000, 9794]);
});

test('A1: annual, a member added 2026-05-25 is charged 10800 × 360/365 = 10652 at the review on 2026-06-20', async () => {
  const team = await basicTeam('year');
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(addMembersUpdate, { args: [{ count: 1 }] });
  expect(await team.handle.query(upcomingInvoiceQuery)).toMatchObject({ on: '2026-06-20', reason: 'member_review', total: 10652 });
  await team.advanceTo('2026-06-20');
  const { invoices } = await team.ledger();
  expect(invoices.map((i) => [i.on, i.reason, i.total, i.status])).toEqual([
    ['2026-05-20', 'subscribe', 108000, 'paid'],
    ['2026-06-20', 'member_review', 10652, 'paid'],
  ]);
  expect(invoices[1]!.lines).toEqual([{ kind: 'members_added', description: 'Basic, 1 member added May 25, 360/365 days', amount: 10652 }]);
  expect(await team.state()).toMatchObject({ interval: 'year', periodEnd: '2027-05-20', members: 11 });
  await team.recordHistory('annual-member-review', 1);
});

test('A2: annual, a member removed 2026-05-25 refunds 10652 on 2026-06-20; reminder 2027-04-20; the renewal uses the balance first', async () => {
  const team = await basicTeam('year');
  await team.advanceTo('2026-05-25');
  await team.handle.executeUpdate(removeMembersUpdate, { args: [{ count: 1 }] });
  await team.advanceTo('2026-06-20');
  expect((await team.ledger()).balance).toEqual([{ on: '2026-06-20', amount: 10652, reason: 'member_removed' }]);

  await team.advanceTo('2027-04-20');
  expect((await team.ledger()).notifications.map((n) => [n.on, n.kind])).toEqual([['2027-04-20', 'renewal_reminder']]);

  await team.advanceTo('2027-05-20');
  const { invoices, balance } = await team.ledger();
  expect(invoices.map((i) => i.reason)).toEqual(['subscribe', 'renewal']); // monthly reviews without changes bill nothing
  expect(invoices[1]).toMatchObject({ on: '2027-05-20', total: 97200, balanceApplied: 10652, charged: 86548, status: 'paid' });
  expect(balance.map((b) => b.amount)).toEqual([10652, -10652]);
  expect(await team.state()).toMatchObject({ periodEnd: '2028-05-20', status: 'active' });
});
