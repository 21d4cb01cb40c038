import { Router } from 'express';
import { z } from 'zod';
import { newId } from '../../ledger/rows';
import { ownedPaymentMethod } from '../../payments/provider-customers';
import type { ApiContext } from '../context';
import { operation } from '../operation';
import { actingUserId } from '../principal';
import { problem } from '../problem';
import { notOwnedAsProblem } from '../provider-ids';
import { Id, Name, PaymentMethod, Team } from '../schemas';
import type { TeamWorkflows } from '../team-workflows';

const CreateTeam = z.strictObject({
  id: Id.optional().meta({ description: "The SaaS's own team ID; generated when absent" }),
  name: Name,
  billingCountry: z.string().regex(/^[A-Za-z]{2}$/, 'is an ISO 3166-1 alpha-2 code').transform((code) => code.toUpperCase()),
  organizationId: Id.optional(),
  ownerUserId: Id.optional().meta({ description: 'Required when the platform creates the team; otherwise the caller owns it' }),
  paymentMethod: PaymentMethod.optional(),
});

/** Teams: creating one starts its subscription workflow, on Free, with its owner as its one member. */
export function teamRoutes(ctx: ApiContext, workflows: TeamWorkflows): Router {
  const router = Router();
  const tag = 'Teams';

  operation(router, ctx, {
    method: 'post', path: '/v1/teams', tag, summary: 'Create a team and start its subscription workflow', access: { kind: 'user' },
    body: CreateTeam, response: Team, status: 201, errors: [404, 409, 422],
  }, async ({ body, principal }) => {
    const ownerId = actingUserId(principal) ?? body.ownerUserId;
    if (!ownerId) throw problem(400, 'the platform names the team owner', { field: 'body.ownerUserId' });
    if (!(await ctx.directory.user(ownerId))) throw problem(404, `no user ${ownerId}`, { field: 'body.ownerUserId' });
    if (body.organizationId && !(await ctx.directory.organization(body.organizationId))) {
      throw problem(404, `no organization ${body.organizationId}`, { field: 'body.organizationId' });
    }
    const teamId = body.id ?? newId('team');
    const paymentMethod = body.paymentMethod && (await checkedPaymentMethod(ctx, teamId, body.paymentMethod));
    // The team row and its owner are committed only once the workflow has started; the workflow writes the same
    // row again (ensureTeam merges), so either order leaves one record.
    await ctx.db.transaction(async (trx) => {
      const inserted = await trx('teams')
        .insert({ id: teamId, name: body.name, billing_country: body.billingCountry, organization_id: body.organizationId ?? null })
        .onConflict('id')
        .ignore()
        .returning('id');
      if (inserted.length === 0) throw problem(409, `team ${teamId} exists`, { field: 'body.id', code: 'team_exists' });
      await ctx.directory.addMember(teamId, ownerId, 'owner', trx);
      await workflows.start({
        teamId,
        team: { name: body.name, billingCountry: body.billingCountry, ...(body.organizationId ? { organizationId: body.organizationId } : {}) },
        members: 1,
        ...(paymentMethod ? { paymentMethod } : {}),
      });
    });
    return { id: teamId, name: body.name, billingCountry: body.billingCountry, organizationId: body.organizationId ?? null, roles: ['owner'] };
  });

  operation(router, ctx, {
    method: 'get', path: '/v1/teams/{teamId}', tag, summary: 'A team, and your roles on it', access: { kind: 'team', actions: [] },
    params: z.object({ teamId: Id }), response: Team, errors: [404],
  }, async ({ team }) => {
    const row = (await ctx.db('teams').where({ id: team.teamId }).first()) as { id: string; name: string; billing_country: string; organization_id: string | null };
    return { id: row.id, name: row.name, billingCountry: row.billing_country, organizationId: row.organization_id, roles: team.roles };
  });

  return router;
}

/** A new team has no customer yet: only the sandbox's shared test cards can be set at creation (see provider-customers). */
async function checkedPaymentMethod(ctx: ApiContext, teamId: string, method: z.infer<typeof PaymentMethod>): Promise<z.infer<typeof PaymentMethod>> {
  if (method.provider !== ctx.payments.name) {
    throw problem(422, `this engine charges through ${ctx.payments.name}, not ${method.provider}`, { field: 'body.paymentMethod.provider' });
  }
  const owned = await ownedPaymentMethod(ctx.db, ctx.payments, { kind: 'team', id: teamId }, method).catch(notOwnedAsProblem('body.paymentMethod.'));
  return { provider: method.provider, ...owned };
}
