// Authorization (section 11), per operation: the platform may do anything; a user needs the roles the operation's
// actions require on the team named in the path, checked with the domain's `can`.
import type { RequestHandler } from 'express';
import { LRUCache } from 'lru-cache';
import { can, type BillingAction, type Role } from '../../domain';
import type { ApiContext } from '../context';
import type { Access } from '../operation-spec';
import { actingUserId, type Principal } from '../principal';
import { problem } from '../problem';

export interface TeamAccess {
  teamId: string;
  /** The acting user's roles on the team; none for the platform, which may do anything. */
  roles: Role[];
}

/**
 * Teams already found in the ledger, per API instance. Teams are never deleted, so a team once found exists: the
 * SaaS's frequent reads (entitlements, the subscription) skip the lookup. Roles are always read fresh.
 */
const knownTeamsByApi = new WeakMap<ApiContext, LRUCache<string, true>>();

function knownTeamsOf(ctx: ApiContext): LRUCache<string, true> {
  let known = knownTeamsByApi.get(ctx);
  if (!known) knownTeamsByApi.set(ctx, (known = new LRUCache<string, true>({ max: 100_000 })));
  return known;
}

export function authorize(ctx: ApiContext, access: Access): RequestHandler {
  const knownTeams = knownTeamsOf(ctx);
  return async (req, res, next) => {
    try {
      const principal = req.principal!;
      const platform = principal.kind === 'service' && principal.actingUserId === null;
      if (access.kind === 'platform' && !platform) throw problem(403, 'only the platform (the service token, without X-Acting-User) may do this');
      const { teamId } = (res.locals.valid.path ?? {}) as { teamId?: string };
      // A platform route under /v1/teams/{teamId} still needs the team to exist.
      if (access.kind !== 'team' && !teamId) return next();
      if (!teamId) throw new Error('a team operation needs {teamId} in its path');

      if (!knownTeams.has(teamId)) {
        if (!(await ctx.db('teams').where({ id: teamId }).first('id'))) throw problem(404, `no team ${teamId}`, { field: 'path.teamId' });
        knownTeams.set(teamId, true);
      }
      if (access.kind !== 'team') {
        res.locals.team = { teamId, roles: [] } satisfies TeamAccess;
        return next();
      }
      const userId = actingUserId(principal);
      const roles: Role[] = platform ? [] : await ctx.directory.rolesOn(teamId, userId!);
      if (!platform && roles.length === 0) throw problem(403, `you have no role on team ${teamId}`, { code: 'forbidden' });
      const team = { teamId, roles } satisfies TeamAccess;
      requireActions(principal, team, access.actions);
      res.locals.team = team;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * A user's roles on the team must allow every action (section 11), else 403; the platform (no acting user) may do
 * anything. Also for what an operation's input asks beyond its declared access (an order invoice first requests an invoice).
 */
export function requireActions(principal: Principal, { teamId, roles }: TeamAccess, actions: readonly BillingAction[]): void {
  if (actingUserId(principal) === null) return;
  const missing = actions.filter((action) => !can(roles, action));
  if (missing.length > 0) {
    throw problem(403, `your roles on team ${teamId} (${roles.join(', ') || 'none'}) do not allow ${missing.join(', ')}`, { code: 'forbidden' });
  }
}
