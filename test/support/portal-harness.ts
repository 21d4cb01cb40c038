// The billing portal in a real browser: the API (ApiHarness: a worker on the integration project's servers) served
// over HTTP on a local port, and Debian's Chromium driven by playwright-core, one fresh profile per browser.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../../src/infra/chromium';
import { ApiHarness } from './api-harness';

export const ARTIFACTS = resolve(__dirname, '../../artifacts/portal');

export class PortalHarness {
  private readonly browsers: { context: BrowserContext; profile: string }[] = [];

  private constructor(readonly api: ApiHarness, private readonly server: Server, readonly baseUrl: string) {}

  /** `env`: settings beside the harness's own (e.g. PORTAL_SIGN_IN_URL). */
  static async start(options: { env?: NodeJS.ProcessEnv } = {}): Promise<PortalHarness> {
    const api = await ApiHarness.start(options);
    const server = createServer(api.app);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    mkdirSync(ARTIFACTS, { recursive: true });
    return new PortalHarness(api, server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  async teardown(): Promise<void> {
    for (const { context, profile } of this.browsers) {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    }
    await new Promise((done) => this.server.close(done));
    await this.api.teardown();
  }

  /** A new browser with an empty profile (no cookies), as a different person's computer would be. */
  async browser(): Promise<Page> {
    const executablePath = process.env.SEATBILL_CHROMIUM ?? findChromium();
    if (!executablePath) throw new Error('no Chromium: run the portal project through Jest (its globalSetup finds or installs it)');
    const profile = mkdtempSync(join(tmpdir(), 'seatbill-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath, headless: true, args: [...CHROMIUM_ARGS], viewport: { width: 1100, height: 900 }, acceptDownloads: true,
    });
    this.browsers.push({ context, profile });
    const page = context.pages()[0] ?? (await context.newPage());
    // The page's script errors show in the test log rather than as a silent timeout.
    page.on('pageerror', (error) => process.stderr.write(`[portal page error] ${error.message}\n`));
    return page;
  }

  /** What the SaaS backend does when a signed-in user opens Billing: a portal session made as that user. */
  portalUrl(userId: string, teamId: string): Promise<{ id: string; url: string }> {
    return this.portalSession(userId, { teamId });
  }

  /** What the SaaS backend does once it has signed in a person who followed an invitation's link. */
  invitationUrl(userId: string, invitationId: string): Promise<{ id: string; url: string }> {
    return this.portalSession(userId, { invitationId });
  }

  private async portalSession(userId: string, body: { teamId: string } | { invitationId: string }): Promise<{ id: string; url: string }> {
    const res = await fetch(`${this.baseUrl}/v1/portal-sessions`, {
      method: 'POST',
      headers: { ...this.api.actingFor(userId).headers, 'content-type': 'application/json', 'idempotency-key': `ps-${Date.now()}-${Math.random()}` },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST /v1/portal-sessions: ${res.status} ${await res.text()}`);
    return (await res.json()) as { id: string; url: string };
  }

  async screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  }
}

/**
 * One portal for a test file (`const portal = portalForFile();`), started in beforeAll and stopped in afterAll;
 * `portal()` is the started harness, for use inside tests.
 */
export function portalForFile(): () => PortalHarness {
  let started: PortalHarness | undefined;
  beforeAll(async () => {
    started = await PortalHarness.start();
  }, 180_000);
  afterAll(() => started?.teardown(), 60_000);
  jest.setTimeout(120_000);
  return () => {
    if (!started) throw new Error('the portal is started in beforeAll: use it inside tests');
    return started;
  };
}
