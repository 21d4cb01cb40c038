import type { ErrorRequestHandler, RequestHandler, Response } from 'express';

/** An RFC 9457 problem: what went wrong, for which field, in words a caller can act on. */
export interface Problem {
  status: number;
  title: string;
  detail?: string;
  /** The request fields that were wrong, each with its message. */
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }
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
      const title = status === 413 ? 'Payload Too Large' : 'Bad Request';
      return sendProblem(res, { status, title, detail: error.type === 'entity.parse.failed' ? 'the body is not valid JSON' : error.message, errors: [{ field: 'body', message: error.message }] });
    }
    log(error);
    sendProblem(res, { status: 500, title: 'Internal Server Error', detail: 'the engine failed to handle this request; it has been logged' });
  };
}
