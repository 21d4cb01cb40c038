// The OpenAPI 3.1 document served at /openapi.json, generated from the operations' own zod schemas.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import type { AnyOperation } from './operation';
import { Problem } from './schemas';
import { STRIPE_WEBHOOK_PATH } from './routes/stripe-webhooks';

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
const ERROR_TEXT: Record<number, string> = {
  400: 'The input is invalid; `errors` names each field',
  401: 'No valid API token',
  403: 'Your roles do not allow this',
  404: 'Not found',
  409: 'Refused: it conflicts with the current state (`code` says why)',
  422: 'Refused: it cannot be done as asked (`code` says why), or the Idempotency-Key was used for another request',
  429: 'Too many requests: wait the seconds Retry-After says',
  503: 'Temporal or the payment provider did not answer; retry with the same Idempotency-Key',
};

function who(op: AnyOperation): string {
  if (op.access.kind === 'platform') return 'the platform (service token without X-Acting-User)';
  if (op.access.kind === 'user') return 'any user, or the platform';
  return op.access.actions.length === 0 ? 'anyone with a role on the team' : `team roles allowed to ${op.access.actions.join(' and ')} (section 11)`;
}

function describe(op: AnyOperation): ZodOpenApiOperationObject {
  const errors = [400, 401, ...(op.access.kind === 'user' ? [] : [403]), ...(op.errors ?? [])];
  return {
    tags: [op.tag],
    summary: op.summary,
    description: `Who may call: ${who(op)}.`,
    security: [{ bearer: [] }],
    requestParams: {
      ...(op.params ? { path: op.params as z.ZodObject } : {}),
      ...(op.query ? { query: op.query as z.ZodObject } : {}),
      ...(op.method === 'post' ? { header: z.object({ 'idempotency-key': z.string().min(1).max(255).meta({ description: 'Same key, same request: the first response again' }) }) } : {}),
    },
    ...(op.body ? { requestBody: { content: { 'application/json': { schema: op.body } } } } : {}),
    responses: {
      [op.status ?? 200]: { description: 'OK', content: { [op.mediaType ?? 'application/json']: { schema: op.response } } },
      ...Object.fromEntries([...new Set(errors)].map((status) => [status, problemResponse(ERROR_TEXT[status] ?? 'Error')])),
    },
  };
}

export function openApiDocument(serverUrl: string, operations: readonly AnyOperation[]): ReturnType<typeof createDocument> {
  const json = (description: string) => ({ description, content: { 'application/json': { schema: z.object({ status: z.string() }).loose() } } });
  const paths: ZodOpenApiPathsObject = {
    '/health': { get: { summary: 'Liveness, with the state of Postgres and Temporal', responses: { 200: json('alive') } } },
    '/ready': { get: { summary: 'Readiness', responses: { 200: json('ready'), 503: json('a dependency is down') } } },
    [STRIPE_WEBHOOK_PATH]: {
      post: {
        tags: ['Webhooks'],
        summary: 'Stripe events, verified by their Stripe-Signature; each event id is handled once',
        responses: { 200: json('received'), 400: problemResponse('Bad or missing signature') },
      },
    },
  };
  for (const op of operations) paths[op.path] = { ...paths[op.path], [op.method]: describe(op) };
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'seatbill billing engine', version: '0.1.0', description: 'Seat-based SaaS billing on Temporal workflows. Errors are application/problem+json.' },
    servers: [{ url: serverUrl }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A user API token, or the service token (with X-Acting-User to act for a user)' } } },
    paths,
  });
}
