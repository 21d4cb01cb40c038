// One operation of the API, declared once: its path, who may call it, and the zod schemas that both validate the
// request and describe it in the OpenAPI document. Route modules declare operations; nothing else registers routes
// under /v1, so the document, the validation and the authorization table cannot drift apart.
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { type z } from 'zod';
import type { BillingAction } from '../domain';
import { authorize, type TeamAccess } from './middleware/team-access';
import { idempotent } from './middleware/idempotency';
import { validate } from './middleware/validation';
import type { Principal } from './principal';
import type { ApiContext } from './context';

export type Access =
  /** The service token acting as the platform itself (no X-Acting-User). */
  | { kind: 'platform' }
  /** Any caller who acts for a user, or the platform. */
  | { kind: 'user' }
  /** A team's users whose roles allow every listed action (section 11); the platform may too. */
  | { kind: 'team'; actions: readonly BillingAction[]; description?: string };

export interface OperationSpec<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style: `/v1/teams/{teamId}`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  response: z.ZodType;
  /** What a success answers: JSON unless told (an export answers CSV text). */
  mediaType?: 'application/json' | 'text/csv';
  /** The success status; 200 unless told. */
  status?: 200 | 201 | 202;
  /** Statuses this operation may answer beside the success and the ones every route has. */
  errors?: readonly number[];
}

export interface OperationInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  /** Set for `team` access: the team and the caller's roles on it. */
  team: TeamAccess;
  req: Request;
  res: Response;
}

export type AnyOperation = OperationSpec<z.ZodType, z.ZodType, z.ZodType>;

type None = z.ZodObject<Record<string, never>>;

/** Registers the operation on the router and in the context's list (for /openapi.json and the authorization table). */
export function operation<P extends z.ZodType = None, Q extends z.ZodType = None, B extends z.ZodType = None>(
  router: Router,
  ctx: ApiContext,
  spec: OperationSpec<P, Q, B>,
  handler: (input: OperationInput<z.output<P>, z.output<Q>, z.output<B>>) => Promise<unknown>,
): void {
  ctx.operations.push(spec as unknown as AnyOperation);
  const chain: RequestHandler[] = [
    // The path first, so a malformed ID is a 400 before any lookup; then who may; then the rest of the input.
    validate('path', spec.params),
    authorize(ctx, spec.access),
    validate('query', spec.query),
    validate('body', spec.body),
  ];
  if (spec.method === 'post') chain.push(idempotent(ctx));
  const run = async (req: Request, res: Response, next: NextFunction) => {
    try {
      const valid = res.locals.valid as { path: z.output<P>; query: z.output<Q>; body: z.output<B> };
      const result = await handler({
        params: valid.path, query: valid.query, body: valid.body,
        principal: req.principal!, team: res.locals.team as TeamAccess, req, res,
      });
      if (spec.mediaType === 'text/csv') res.status(spec.status ?? 200).type('text/csv').send(String(result));
      else res.status(spec.status ?? 200).json(result);
    } catch (error) {
      next(error);
    }
  };
  router[spec.method](spec.path.replace(/\{(\w+)\}/g, ':$1'), ...chain, run);
}
