// The fan-out's page activity on the dev server and Postgres: a retried page starts at the team its last attempt's
// heartbeat names (the teams before it were told by that attempt), and a team in the read model with no running
// workflow is reported, not retried for ever. The whole workflow runs in api-pricing.test.ts.
import { MockActivityEnvironment } from '@temporalio/testing';
import { pricePublicationActivities, type TeamsTold } from '../../src/activities/price-publication';
import type { PriceVersion } from '../../src/domain';
import { ApiHarness } from '../support/api-harness';

let api: ApiHarness;

beforeAll(async () => {
  api = await ApiHarness.start();
}, 120_000);
afterAll(() => api?.teardown(), 60_000);
jest.setTimeout(60_000);

const version: PriceVersion = { plan: 'basic', interval: 'month', version: 2, amount: 1500, publishedOn: '2026-12-02', grandfathered: false };

test('a retried page resumes after the teams its heartbeat says were signalled, and reports the teams not running', async () => {
  // 45 teams the read model shows on Basic monthly, none with a running workflow (ids sort as their numbers).
  const teams = Array.from({ length: 45 }, (_, i) => `resume-${String(i).padStart(2, '0')}`);
  await api.db('teams').insert(teams.map((id) => ({ id, name: id, billing_country: 'US' })));
  await api.db('subscription_views').insert(teams.map((id) => ({ team_id: id, version: 1, published_at: new Date(), view: JSON.stringify({ plan: 'basic', interval: 'month' }) })));
  const { tellTeamsOfPrice } = pricePublicationActivities({ db: api.db, temporal: api.temporal });

  const retry = new MockActivityEnvironment({ heartbeatDetails: { sent: 20 }, taskQueue: 'price-publication-test', workflowNamespace: 'default' });
  const heartbeats: unknown[] = [];
  retry.on('heartbeat', (details: unknown) => heartbeats.push(details));
  const page: TeamsTold = await retry.run(tellTeamsOfPrice, { version, after: '', limit: 50 });
  // Signals 20–44 only (two batches of 20 and 5), each batch heartbeated; the page was short, so it was the last.
  expect(page.notReached).toEqual(teams.slice(20));
  expect(page.last).toBeNull();
  expect(heartbeats).toEqual([{ sent: 40 }, { sent: 60 }]);

  // A full page names its last team, where the next page starts.
  const first: TeamsTold = await new MockActivityEnvironment({ taskQueue: 'price-publication-test', workflowNamespace: 'default' }).run(tellTeamsOfPrice, { version, after: '', limit: 10 });
  expect(first).toEqual({ told: 0, notReached: teams.slice(0, 10), last: 'resume-09' });
});
