import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { invalidInput, problem } from '../problem';

type Part = 'path' | 'query' | 'body';
const source = { path: 'params', query: 'query', body: 'body' } as const;

/** Parses one part of the request with its schema into `res.locals.valid[part]`; a failure is a 400 naming the fields. */
export function validate(part: Part, schema: z.ZodType | undefined): RequestHandler {
  return (req, res, next) => {
    const valid = (res.locals.valid ??= {}) as Record<Part, unknown>;
    const raw: unknown = req[source[part]];
    if (!schema) {
      // An operation without a body takes none: a stray body is more likely a mistake than something to ignore.
      if (part === 'body' && raw !== undefined && !(typeof raw === 'object' && raw !== null && Object.keys(raw).length === 0)) {
        return next(problem(400, 'this operation takes no body', { field: 'body' }));
      }
      valid[part] = {};
      return next();
    }
    const parsed = schema.safeParse(raw ?? (part === 'body' ? undefined : {}));
    if (!parsed.success) return next(invalidInput(part, parsed.error));
    valid[part] = parsed.data;
    next();
  };
}
