/** The OpenAPI 3.1 document served at /openapi.json. Routes add their paths here as they are built. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
  const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
  return {
    openapi: '3.1.0',
    info: { title: 'seatbill billing engine', version: '0.1.0', description: 'Seat-based SaaS billing on Temporal workflows.' },
    servers: [{ url: serverUrl }],
    paths: {
      '/health': { get: { summary: 'Liveness, with the state of Postgres and Temporal', responses: { 200: json('alive') } } },
      '/ready': { get: { summary: 'Readiness', responses: { 200: json('ready'), 503: json('a dependency is down') } } },
    },
  };
}
