// What the outside world may say to, and ask of, a billing-manager invitation's workflow. Types and message
// definitions only: the API and the activities import this file without pulling in workflow code.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Instant, InvitationScope, InvitationStatus } from '../domain';

export type { InvitationScope, InvitationStatus } from '../domain';

/** One workflow per invitation; the ID is the invitation's secret link, so it must come from a random source. */
export function invitationWorkflowId(invitationId: string): string {
  return `invitation:${invitationId}`;
}

/** The Temporal UI's one-line summary. No email: summaries, like search attributes, are not personal data's place. */
export function invitationWorkflowSummary(scope: InvitationScope): string {
  return 'teamId' in scope ? `Billing-manager invitation to team ${scope.teamId}` : `Billing-manager invitation to organization ${scope.organizationId}`;
}

export interface BillingManagerInvitationInput {
  /** Random, from the API (never generated in workflow code). */
  invitationId: string;
  scope: InvitationScope;
  email: string;
  /** When the API sent it; it is valid for 7 days from then. */
  sentAt: Instant;
}

/** The signed-in account that accepts; the API reads its email from the users table. */
export interface AcceptingAccount {
  userId: string;
  email: string;
}

export interface InvitationView {
  invitationId: string;
  scope: InvitationScope;
  status: InvitationStatus;
  sentAt: Instant;
  expiresAt: Instant;
  /** The account that accepted or revoked it. */
  decidedBy: string | null;
}

/** Refused (validator) with an ApplicationFailure of type `invalid_invitation` or `invitation_expired`. */
export const acceptInvitationUpdate = defineUpdate<InvitationView, [AcceptingAccount]>('acceptInvitation');
/** Refused with `invitation_closed` once accepted or expired; revoking twice is the same revocation. */
export const revokeInvitationUpdate = defineUpdate<InvitationView, [{ revokedBy: string | null }]>('revokeInvitation');

export const invitationQuery = defineQuery<InvitationView>('invitation');
