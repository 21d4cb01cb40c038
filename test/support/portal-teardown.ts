import integrationTeardown from './integration-teardown';

/** Stops the servers only if the portal project started them; otherwise the integration project's teardown does. */
export default async function teardown(): Promise<void> {
  if (process.env.SEATBILL_PORTAL_STARTED_SERVERS) await integrationTeardown();
}
