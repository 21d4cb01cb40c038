// One operation of the API, declared once: its path, who may call it, and the zod schemas that both validate the
// request and describe it in the OpenAPI document. Route modules declare operations; nothing else registers routes
// under /v1, so the document, the validation and the authorization table cannot drift apart.
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { type z } from 'zod';
import { authorize, type TeamAccess } from './middleware/team-access';
import { idempotent } from './middleware/idempotency';
import { validate } from './middleware/validation';
import type { Principal } from './principal';
import type { ApiContext } from './context';
import type { AnyOperation, OperationSpec } from './operation-spec';

export type { Access, AnyOperation, OperationSpec } from './operation-spec';

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
      // A document: never cached, it names the team and its money.
      else if (spec.mediaType === 'application/pdf') res.status(spec.status ?? 200).set('Cache-Control', 'no-store').type('application/pdf').send(result as Buffer);
      else res.status(spec.status ?? 200).json(result);
    } catch (error) {
      next(error);
    }
  };
  router[spec.method](spec.path.replace(/\{(\w+)\}/g, ':$1'), ...chain, run);
}
