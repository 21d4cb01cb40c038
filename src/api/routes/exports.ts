import { Router } from 'express';
import { z } from 'zod';
import type { ApiContext } from '../context';
import { documentsCsv, documentsIssued, monthRange, quarterRange, taxReturn } from '../exports';
import { operation } from '../operation';

/** The accountant's exports (section 13), for the platform: they span every team. */
export function exportRoutes(ctx: ApiContext): Router {
  const router = Router();
  const tag = 'Exports';
  const platform = { kind: 'platform' } as const;

  operation(router, ctx, {
    method: 'get', path: '/v1/exports/documents', tag, access: platform, mediaType: 'text/csv',
    summary: 'Every invoice and credit note issued in a month, as CSV: number, kind, date, customer, country, tax ID, net, tax, total, currency, paid by balance / credits / card',
    query: z.strictObject({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'is a month YYYY-MM such as 2026-11') }),
    response: z.string().meta({ description: 'CSV (RFC 4180), amounts in currency units with two decimals' }),
  }, async ({ query }) => documentsCsv(await documentsIssued(ctx.db, monthRange(query.month))));

  operation(router, ctx, {
    method: 'get', path: '/v1/exports/tax', tag, access: platform, summary: 'Tax of a quarter per country, treatment and rate (for an OSS return); credit notes subtract',
    query: z.strictObject({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'is a quarter YYYY-Qn such as 2026-Q4') }),
    response: z.object({
      from: z.string(), to: z.string(), net: z.int(), tax: z.int(),
      lines: z.array(z.object({
        country: z.string(), treatment: z.string(), rateBasisPoints: z.int(), rate: z.string(), net: z.int(), tax: z.int(), invoices: z.int(), creditNotes: z.int(),
      })),
    }),
  }, async ({ query }) => taxReturn(ctx.db, quarterRange(query.quarter)));

  return router;
}
