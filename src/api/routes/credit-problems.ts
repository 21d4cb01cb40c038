// How the credit services' refusals read over HTTP: a 4xx problem with a stable code, never a 5xx.
import { CreditRefusal, type CreditRefusalCode } from '../../credits';
import { actingUserId, type Principal } from '../principal';
import { problem, ProblemError } from '../problem';

const STATUS: Record<CreditRefusalCode, { status: number; field?: string }> = {
  insufficient_credits: { status: 409, field: 'body.amount' },
  insufficient_api_credits: { status: 402, field: 'body.amount' },
  payment_declined: { status: 402, field: 'body.paymentMethodId' },
  payment_rejected: { status: 422, field: 'body.paymentMethodId' },
  payment_method_not_owned: { status: 422, field: 'body.paymentMethodId' },
  customer_not_owned: { status: 422, field: 'body.customerId' },
  unknown_team: { status: 404, field: 'path.teamId' },
  key_reused: { status: 422, field: 'header.idempotency-key' },
};

/** Use as `.catch(asProblem)`: a refusal becomes its problem, with its figures; anything else goes on as it is. */
export function asProblem(error: unknown): never {
  if (!(error instanceof CreditRefusal)) throw error;
  const { status, field } = STATUS[error.code];
  const refused = problem(status, error.message, { code: error.code, ...(field ? { field } : {}) });
  throw new ProblemError({ ...refused.problem, ...(status === 402 ? { title: 'Payment Required' } : {}), ...error.details });
}

/** A user reads and spends only their own credits; the platform (service token, no acting user) any. */
export function assertSelfOrPlatform(principal: Principal, userId: string, what: string): void {
  const platform = principal.kind === 'service' && principal.actingUserId === null;
  if (!platform && actingUserId(principal) !== userId) throw problem(403, `a user ${what} only their own`, { code: 'forbidden' });
}

/** The Idempotency-Key the operation middleware has already checked: the caller's name for this request. */
export function requestKey(header: string | undefined): string {
  if (!header) throw problem(400, 'every POST needs an Idempotency-Key header', { field: 'header.idempotency-key' });
  return header;
}
