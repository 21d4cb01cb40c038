import { Router } from 'express';
import { z } from 'zod';
import { relayOutbound } from '../../activities/relay';
import { webhookEndpoints, webhookHistory, WEBHOOK_EVENT_TYPES } from '../../webhooks';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
import { Email, Id, Json } from '../schemas';

const EventType = z.enum(WEBHOOK_EVENT_TYPES);
const NewEndpoint = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2048).meta({ description: 'Where the events are POSTed' }),
  eventTypes: z.array(z.union([EventType, z.literal('*')])).min(1).meta({ description: "The event types to receive, or ['*'] for all" }),
  description: z.string().max(500).optional(),
  alertEmail: Email.optional().meta({ description: 'Told when a delivery fails after its last attempt (3 days)' }),
});
const Endpoint = z
  .object({
    id: z.string(), url: z.string(), eventTypes: z.array(z.string()), description: z.string().nullable(), alertEmail: z.string().nullable(),
    status: z.enum(['active', 'disabled']), createdAt: z.string(),
  })
  .meta({ id: 'WebhookEndpoint' });
const EndpointParam = z.object({ endpointId: Id });
const Limit = z.coerce.number().int().min(1).max(500).default(100);

/**
 * Outbound webhooks, for the platform only: endpoints (the secret is shown once, at creation), the events recorded,
 * each delivery with every attempt, and redelivery on demand.
 */
export function webhookEndpointRoutes(ctx: ApiContext): Router {
  const router = Router();
  const tag = 'Webhooks';
  const access = { kind: 'platform' } as const;
  const endpoints = webhookEndpoints(ctx.db);
  const history = webhookHistory(ctx.db);
  const relay = (endpointId: string) => relayOutbound(ctx.db, { temporal: ctx.temporal, taskQueue: ctx.config.TASK_QUEUE }, { endpointId });
  const existing = async (endpointId: string) => {
    const endpoint = await endpoints.find(endpointId);
    if (!endpoint) throw problem(404, `no webhook endpoint ${endpointId}`, { field: 'path.endpointId' });
    return endpoint;
  };

  operation(router, ctx, {
    method: 'post', path: '/v1/webhook-endpoints', tag, access, summary: 'Register an endpoint; the answer carries its signing secret, shown only this once',
    body: NewEndpoint, response: Endpoint.extend({ secret: z.string() }), status: 201,
  }, ({ body }) => endpoints.create(body));

  operation(router, ctx, {
    method: 'get', path: '/v1/webhook-endpoints', tag, access, summary: 'The registered endpoints (without their secrets)', response: z.array(Endpoint),
  }, () => endpoints.list());

  operation(router, ctx, {
    method: 'delete', path: '/v1/webhook-endpoints/{endpointId}', tag, access, summary: 'Disable an endpoint: no new events go to it',
    params: EndpointParam, response: Endpoint, errors: [404],
  }, async ({ params }) => (await endpoints.disable(params.endpointId)) ?? existing(params.endpointId));

  operation(router, ctx, {
    method: 'get', path: '/v1/webhook-events', tag, access, summary: 'Events recorded, newest first',
    query: z.object({ teamId: Id.optional(), type: EventType.optional(), limit: Limit }), response: z.array(Json),
  }, ({ query }) => history.events(query));

  operation(router, ctx, {
    method: 'get', path: '/v1/webhook-events/{eventId}', tag, access, summary: 'An event with its deliveries and every attempt (status code, latency)',
    params: z.object({ eventId: Id }), response: Json, errors: [404],
  }, async ({ params }) => {
    const found = await history.event(params.eventId);
    if (!found) throw problem(404, `no webhook event ${params.eventId}`, { field: 'path.eventId' });
    return found;
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/webhook-endpoints/{endpointId}/deliveries', tag, access, summary: "An endpoint's deliveries, newest first, with their attempts",
    params: EndpointParam, query: z.object({ status: z.enum(['pending', 'delivered', 'failed']).optional(), limit: Limit }), response: z.array(Json), errors: [404],
  }, async ({ params, query }) => {
    await existing(params.endpointId);
    return history.deliveries(params.endpointId, query);
  });

  operation(router, ctx, {
    method: 'post', path: '/v1/webhook-endpoints/{endpointId}/redeliveries', tag, access,
    summary: "Send an event to the endpoint again, after the endpoint's queued deliveries",
    params: EndpointParam, body: z.strictObject({ eventId: Id }), response: z.object({ deliveryId: z.int() }), status: 202, errors: [404, 409],
  }, async ({ params, body, req }) => {
    const endpoint = await existing(params.endpointId);
    if (endpoint.status !== 'active') throw problem(409, `webhook endpoint ${endpoint.id} is disabled`, { code: 'endpoint_disabled' });
    const queued = await history.redeliver(endpoint.id, body.eventId, req.get('idempotency-key')!);
    if (!queued) throw problem(404, `no webhook event ${body.eventId}`, { field: 'body.eventId' });
    await relay(endpoint.id);
    return queued;
  });

  return router;
}
