/** Where globalSetup started the integration project's real servers. */
export function integrationEnv(): { databaseUrl: string; temporalAddress: string; stripeMock: { host: string; port: number } } {
  const databaseUrl = process.env.SEATBILL_IT_DATABASE_URL;
  const temporalAddress = process.env.SEATBILL_IT_TEMPORAL_ADDRESS;
  const stripeMock = process.env.SEATBILL_IT_STRIPE_MOCK;
  if (!databaseUrl || !temporalAddress || !stripeMock) {
    throw new Error('integration servers are not running: run this file through the Jest `integration` project (globalSetup starts them)');
  }
  const [host, port] = stripeMock.split(':');
  return { databaseUrl, temporalAddress, stripeMock: { host: host ?? '127.0.0.1', port: Number(port) } };
}
