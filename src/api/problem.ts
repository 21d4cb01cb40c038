import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { z } from 'zod';

/** An RFC 9457 problem: what went wrong, for which field, in words a caller can act on. */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  /** Why the engine refused, as a stable code (e.g. the workflow's `trial_already_used`). */
  code?: string;
  /** The request fields that were wrong, each with its message. */
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/** A problem to throw from a handler: `throw problem(409, 'already a member', { field: 'userId' })`. */
export function problem(status: number, detail: string, extra: { field?: string; code?: string } = {}): ProblemError {
  return new ProblemError({
    status,
    title: TITLES[status] ?? 'Error',
    detail,
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.field ? { errors: [{ field: extra.field, message: detail }] } : {}),
  });
}

/** A zod failure as a 400 naming each field: `body.plan`, `path.teamId`, `header.idempotency-key`. */
export function invalidInput(where: string, error: z.ZodError): ProblemError {
  const errors = error.issues.flatMap((issue) => {
    const at = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: `${at}.${key}`, message: 'is not a known field' }));
    return [{ field: at, message: issue.message }];
  });
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new ProblemError({ status: 400, title: 'Bad Request', detail, errors });
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').json({ type: 'about:blank', ...problem });
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, { status: 404, title: 'Not Found', detail: `no route ${req.method} ${req.path}` });
};

/** The last handler: known problems as they are; body-parser errors as 400/413; anything else 500 without internals. */
export function problemHandler(log: (error: unknown) => void): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    if (error instanceof ProblemError) return sendProblem(res, error.problem);
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status < 500) {
      // body-parser's errors carry a `type` (entity.parse.failed, entity.too.large…); the router's are about the path.
      const field = typeof error.type === 'string' ? 'body' : 'path';
      const detail = error.type === 'entity.parse.failed' ? 'the body is not valid JSON' : String(error.message);
      return sendProblem(res, { status, title: TITLES[status] ?? 'Bad Request', detail, errors: [{ field, message: detail }] });
    }
    log(error);
    sendProblem(res, { status: 500, title: 'Internal Server Error', detail: 'the engine failed to handle this request; it has been logged' });
  };
}
