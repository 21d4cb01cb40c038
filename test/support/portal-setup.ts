import { resolveChromium } from '../../src/infra/chromium';
import integrationSetup from './integration-setup';

/**
 * The portal project's servers: the integration project's (started once, whichever project asks first, since both
 * may run in one `jest` invocation) and Debian's Chromium, found or installed (see src/infra/chromium.ts).
 */
export default async function setup(): Promise<void> {
  process.env.SEATBILL_CHROMIUM = await resolveChromium();
  if (process.env.SEATBILL_IT_DIR) return;
  await integrationSetup();
  process.env.SEATBILL_PORTAL_STARTED_SERVERS = '1';
}
