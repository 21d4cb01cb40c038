// Activity logs that name their team: the SDK's activity logger already adds the workflow ID, run ID and activity
// type; this adds the team (the input's `teamId`, else the team workflow's ID), and runs the activity inside the
// log context so lines written through the engine's pino logger carry the same IDs.
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptors } from '@temporalio/worker';
import { teamIdOfWorkflow, withLogContext } from './log-context';

function teamIdOfInput(args: readonly unknown[]): string | undefined {
  const [first] = args;
  const teamId = typeof first === 'object' && first !== null ? (first as { teamId?: unknown }).teamId : undefined;
  return typeof teamId === 'string' ? teamId : undefined;
}

/** Worker option `interceptors.activity`: one interceptor pair per activity execution. */
export function activityLogContext(ctx: Context): ActivityInterceptors {
  const { workflowExecution } = ctx.info;
  let teamId = teamIdOfWorkflow(workflowExecution?.workflowId);
  return {
    inbound: {
      execute: (input, next) => {
        teamId = teamIdOfInput(input.args) ?? teamId;
        const context = { ...(workflowExecution ? { workflowId: workflowExecution.workflowId, runId: workflowExecution.runId } : {}), ...(teamId ? { teamId } : {}) };
        return withLogContext(context, () => next(input));
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next(teamId ? { ...attributes, teamId } : attributes),
    },
  };
}
