// What the ledger refuses, as plain errors: facts a retry cannot change (a key reused for other facts, a row that
// names a missing team). The ledger knows nothing of Temporal; src/activities/failures.ts turns each refusal into a
// non-retryable ApplicationFailure of the same `type`, which is what workflows branch on.
export type LedgerRefusalType = 'InvalidInput' | 'UnknownTeam' | 'IdempotencyConflict' | 'LedgerConflict';

export class LedgerRefusal extends Error {
  override readonly name = 'LedgerRefusal';
  constructor(
    readonly type: LedgerRefusalType,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
