import { Router } from 'express';
import { z } from 'zod';
import { billingDetailsOf, setBillingDetails } from '../../billing-details/billing-details';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { problem } from '../problem';
import { Name, TeamIdParam } from '../schemas';

const hasControlCharacters = (text: string) => [...text].some((c) => (c.charCodeAt(0) < 0x20 && c !== '\n') || c.charCodeAt(0) === 0x7f);

const BillingDetails = z
  .object({
    legalName: z.string(),
    address: z.string(),
    country: z.string().meta({ description: 'ISO 3166-1 alpha-2; its VAT rate applies (section 13)' }),
    taxId: z.string().nullable().meta({ description: 'A VAT ID that passed format and checksum validation; null: not a business for tax' }),
  })
  .meta({ id: 'BillingDetails' });

const SetBillingDetails = z.strictObject({
  legalName: Name,
  address: z.string().trim().max(500).refine((text) => !hasControlCharacters(text), 'has no control characters but line breaks').default(''),
  country: z.string().regex(/^[A-Za-z]{2}$/, 'is an ISO 3166-1 alpha-2 code').transform((code) => code.toUpperCase()),
  taxId: z.string().trim().max(40).nullable().default(null).meta({ description: 'e.g. FR40303265045; checked offline for format and checksum' }),
});

/**
 * The team as its invoices and credit notes name it (section 13). The country and tax ID decide the tax of the
 * invoices issued from now on; those already issued keep the details they were issued with.
 */
export function billingDetailsRoutes(ctx: ApiContext): Router {
  const router = Router();
  const tag = 'Billing details';
  // Owner, admin or billing manager (section 11): the details billed go with the payment method.
  const manage = { kind: 'team', actions: ['manage_payment_methods'] } as const;

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}/billing-details', tag, summary: 'The legal name, address, country and tax ID invoices are issued to',
    access: { kind: 'team', actions: ['view_billing'] }, params: TeamIdParam, response: BillingDetails, errors: [404],
  }, async ({ team }) => {
    const details = await billingDetailsOf(ctx.db, team.teamId);
    if (!details) throw problem(404, `no team ${team.teamId}`, { field: 'path.teamId' });
    return details;
  });

  operation(router, ctx, {
    method: 'put', path: '/v1/teams/{teamId}/billing-details', tag, summary: 'Set the legal name, address, country and tax ID of the next invoices',
    access: manage, params: TeamIdParam, body: SetBillingDetails, response: BillingDetails, errors: [404, 422],
  }, async ({ team, body }) => {
    const set = await setBillingDetails(ctx.db, ctx.taxIds, team.teamId, body);
    if (!set.ok) throw problem(set.field === 'taxId' ? 422 : 404, `${set.field === 'taxId' ? 'the tax ID ' : ''}${set.message}`, { field: set.field === 'taxId' ? 'body.taxId' : 'path.teamId' });
    return set.details;
  });

  return router;
}
