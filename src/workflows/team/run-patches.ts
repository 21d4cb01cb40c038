// Which patches a run of the team workflow takes. Asked where its code runs, patched() is decided on replay by the
// workflow task its call falls in, and a local activity's result can come back in the task that recorded its marker
// or in the next one (under cache eviction while a query waited: 13 of 200 teams' next runs recorded keep-timer one
// task after the local activity that preceded it, so their replay decided it false and failed). So a run decides
// them all at its first activation, before any local activity, and carries the IDs it took into the next run, which
// asks only for patches newer than those: no marker and no TemporalChangeVersion upsert for the others. A new run
// writes one marker for all of them, its patch set's (PATCH_SETS), rather than one per patch.
import { patched } from '@temporalio/workflow';
import {
  AUDIT_EVENTS, CARRY_PUBLISHED, CHANGE_RECORDS, COLLECT_LOCAL, COLLECT_RECONCILE, COUPONS, DEFERRED_CHANGE_PRICE_IN_FORCE, ENSURE_TEAM_LOCAL, INVOICE_SEQUENCE, ISSUE_INVOICE_LOCAL, KEEP_TIMER, LEDGER_WRITES_LOCAL, ORDER_AWAITING_PAYMENT,
  PATCH_SET_LEDGER_WRITES_LOCAL, PATCH_SET_RECORDS_TO_WAITING_TURN, PATCHES_AT_START, PRICE_IN_FORCE, PRICE_VERSIONS, PRICING_VIEW, PROVIDER_RATE_LIMIT, RECORD_CONFIRMED_PAYMENT, RECORDS_AFTER_ANSWER, RECORDS_IN_BURSTS, RECORDS_TO_WAITING_TURN, REFUND_FULLY_DISCOUNTED,
  REMOVE_PAYMENT_METHOD, SEAT_CHARGE_ATTEMPTS, SERIALIZED_REQUESTS, STRIPE_SEAT_INVOICE, TRIAL_ENDING_NOTICE, UNDO_REFUSED_CHARGE,
  VOID_PAID_INVOICE, type PatchId,
} from '../patches';
import type { TeamState } from './state';

/**
 * Every patch the team workflow's code asks, in the order a run decides them. Not subscription-view: new runs take
 * its branch under change-records, and its marker is never written again. A new patch of the team's code goes at the
 * end: a run that carries its decisions asks nothing else, so a patch missing here would be false in every carried
 * run (usesPatch refuses it, and test/workflows/patches.test.ts finds every team file's patch in this list).
 */
export const TEAM_PATCHES = [
  SERIALIZED_REQUESTS, KEEP_TIMER, AUDIT_EVENTS, TRIAL_ENDING_NOTICE, STRIPE_SEAT_INVOICE, SEAT_CHARGE_ATTEMPTS, CHANGE_RECORDS, INVOICE_SEQUENCE,
  UNDO_REFUSED_CHARGE, RECORD_CONFIRMED_PAYMENT, COLLECT_RECONCILE, REMOVE_PAYMENT_METHOD, COUPONS, PRICE_VERSIONS, PRICING_VIEW,
  ORDER_AWAITING_PAYMENT, PRICE_IN_FORCE, REFUND_FULLY_DISCOUNTED, VOID_PAID_INVOICE, DEFERRED_CHANGE_PRICE_IN_FORCE, PROVIDER_RATE_LIMIT,
  ISSUE_INVOICE_LOCAL, CARRY_PUBLISHED, COLLECT_LOCAL, RECORDS_AFTER_ANSWER, RECORDS_IN_BURSTS, ENSURE_TEAM_LOCAL, RECORDS_TO_WAITING_TURN,
  LEDGER_WRITES_LOCAL,
] as const;

/**
 * Patch sets, newest first: one marker standing for patches-at-start and every patch of TEAM_PATCHES up to and
 * including `through`. A new run writes the newest set's marker, then one for each patch after `through`; a history
 * holding an older set's marker (or only patches-at-start's) replays with what it took. A set is never changed: a
 * later one is a new ID (src/workflows/patches.ts), added at the front.
 */
export const PATCH_SETS: readonly PatchSet[] = [
  { id: PATCH_SET_LEDGER_WRITES_LOCAL, through: LEDGER_WRITES_LOCAL },
  { id: PATCH_SET_RECORDS_TO_WAITING_TURN, through: RECORDS_TO_WAITING_TURN },
];

export interface PatchSet {
  id: PatchId;
  through: PatchId;
}

/** The patches of TEAM_PATCHES a set's marker stands for (with patches-at-start, which is the deciding itself). */
export function patchesOfSet(set: PatchSet): PatchId[] {
  return TEAM_PATCHES.slice(0, TEAM_PATCHES.indexOf(set.through) + 1);
}

/** At the run's first activation, before any other command: the patches it takes, unless its history is from before. */
export function decidePatches(state: TeamState): void {
  if (!state.patches) {
    const set = PATCH_SETS.find(({ id }) => patched(id));
    if (set) state.patches = patchesOfSet(set);
    else if (patched(PATCHES_AT_START)) state.patches = [];
    else return; // a history from before: each patch is asked where its code runs
  }
  for (const id of TEAM_PATCHES) if (!state.patches.includes(id) && patched(id)) state.patches.push(id);
}

const DECIDED_AT_START: ReadonlySet<PatchId> = new Set(TEAM_PATCHES);

/** Whether this run takes patch `id`'s branch. */
export function usesPatch(state: Pick<TeamState, 'patches'>, id: PatchId): boolean {
  if (!state.patches) return patched(id);
  // Fails the workflow task (retried until a fixed build is deployed) rather than answer false for a patch no run decides.
  if (!DECIDED_AT_START.has(id)) throw new Error(`patch ${id} is not in TEAM_PATCHES (src/workflows/team/run-patches.ts): no run decides it`);
  return state.patches.includes(id);
}
