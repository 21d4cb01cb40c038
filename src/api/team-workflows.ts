// The API's only way to a team's lifecycle: start its workflow, send it updates and signals, ask it queries. A
// refusal by the workflow's validator becomes a problem with its reason: `invalid_request` is a 422 (the request
// cannot be done as asked), every other code a 409 (it conflicts with the team's current state).
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { ActivityFailure, ApplicationFailure, WorkflowExecutionAlreadyStartedError, type QueryDefinition, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { TeamId } from '../workflows/search-attributes';
import { pricePublicationWorkflowId } from '../workflows/price-publication';
import type { PriceVersion } from '../domain/price-versions';
import {
  teamWorkflowId,
  teamWorkflowSummary,
  type AnswerPublication,
  type TeamSubscriptionInput,
} from '../workflows/team-subscription-messages';
import type { Db } from '../ledger/db';
import { publishView } from '../ledger/subscription-views';
import type { Logger } from '../logger';
import { updateIdFor } from './idempotent-request';
import { problem, type ProblemError } from './problem';

/**
 * Where the API publishes the view a team update answered with (records-after-answer) before it answers in turn, so
 * its caller's next read sees the change; without one (a tool, a bench) the workflow's records timer writes it.
 */
export interface ReadModel {
  db: Db;
  logger: Logger;
}

export function teamWorkflows(temporal: Client, taskQueue: string, readModel?: ReadModel) {
  const handle = (teamId: string): WorkflowHandle => temporal.workflow.getHandle(teamWorkflowId(teamId));
  return {
    /** Starts the team's lifecycle; the team's ledger record is written by it (and by the caller, before). */
    async start(input: TeamSubscriptionInput): Promise<void> {
      await asProblem(() =>
        temporal.workflow.start('teamSubscription', {
          taskQueue,
          workflowId: teamWorkflowId(input.teamId),
          args: [input],
          staticSummary: teamWorkflowSummary(input.teamId),
          typedSearchAttributes: [{ key: TeamId, value: input.teamId }],
        }),
      );
    },

    /**
     * Starts the fan-out of a published price to every running team on it (src/workflows/price-publication.ts),
     * once per version: a retried publication finds it started, and its ID is what the caller can watch.
     */
    async tellTeamsOfPrice(version: PriceVersion): Promise<string> {
      const workflowId = pricePublicationWorkflowId(version);
      await temporal.workflow.start('pricePublication', { taskQueue, workflowId, args: [{ version }], staticSummary: `price ${version.plan} ${version.interval} v${version.version} to its teams` })
        .catch((error: unknown) => { if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error; });
      return workflowId;
    },

    update<Ret, Args extends unknown[]>(teamId: string, update: UpdateDefinition<Ret, Args>, ...args: Args): Promise<Ret> {
      // The SDK types updates with and without arguments apart; at run time both take `args`.
      const updateId = updateIdFor(update);
      return asProblem(() =>
        handle(teamId).executeUpdate(update as unknown as UpdateDefinition<Ret, [unknown]>, { args: args as unknown as [unknown], ...(updateId ? { updateId } : {}) }),
      ).then((answer) => withoutPublication(teamId, answer, readModel));
    },

    query<Ret, Args extends unknown[]>(teamId: string, query: QueryDefinition<Ret, Args>, ...args: Args): Promise<Ret> {
      return asProblem(() => handle(teamId).query(query, ...args));
    },

    signal<Args extends unknown[]>(teamId: string, signal: SignalDefinition<Args>, ...args: Args): Promise<void> {
      return asProblem(() => handle(teamId).signal(signal, ...args));
    },
  };
}

export type TeamWorkflows = ReturnType<typeof teamWorkflows>;

/**
 * The answer without the view it carried, which is written to the read model first (versioned: a newer one already
 * there stays). Not written (Postgres away for a moment), the answer still goes out: the change is made, and the
 * workflow's records timer writes the same view a second later.
 */
async function withoutPublication<Ret>(teamId: string, answer: Ret, readModel?: ReadModel): Promise<Ret> {
  if (typeof answer !== 'object' || answer === null || !('published' in answer)) return answer;
  const { published, ...rest } = answer as Ret & AnswerPublication;
  if (published && readModel) {
    await publishView(readModel.db, teamId, published, published.at).catch((error: unknown) =>
      readModel.logger.warn({ err: error, teamId, version: published.version }, 'the answered view was not published; the workflow writes it'));
  }
  return rest as Ret;
}

async function asProblem<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProblem(error) ?? error;
  }
}

function toProblem(error: unknown): ProblemError | null {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const code = error.cause.type ?? 'refused';
    return problem(code === 'invalid_request' ? 422 : 409, error.cause.message, { code });
  }
  // An update whose activity failed for good (a provider refusing a refund, say): the reason is the activity's.
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ActivityFailure && error.cause.cause instanceof ApplicationFailure) {
    const failure = error.cause.cause;
    return problem(422, failure.message, { code: failure.type ?? 'refused' });
  }
  if (error instanceof WorkflowExecutionAlreadyStartedError) return problem(409, 'the team already exists', { code: 'team_exists', field: 'body.id' });
  if (error instanceof WorkflowNotFoundError) return problem(404, 'the team has no running subscription workflow', { code: 'workflow_not_found' });
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError || error instanceof ServiceError) {
    return problem(503, 'the workflow service did not answer in time; retry with the same Idempotency-Key', { code: 'temporal_unavailable' });
  }
  return null;
}
