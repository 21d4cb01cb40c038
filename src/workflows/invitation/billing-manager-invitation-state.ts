// One invitation's fate, decided here at once: accepted, revoked, or expired 7 days after it was sent. The ledger
// (role, invitation row, notices) is then told through one activity, which every answer waits for.
import { ApplicationFailure, condition, proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../../activities';
import { checkAcceptance, epochMs, instantFromEpochMs, invitationExpiresAt, type Instant, type InvitationStatus } from '../../domain';
import type { AcceptingAccount, BillingManagerInvitationInput, InvitationView } from '../billing-manager-invitation-messages';
import { ACTIVITY_RETRY } from '../retry';

const ledger = proxyActivities<BillingActivities>({
  startToCloseTimeout: '1 minute',
  retry: ACTIVITY_RETRY,
});

export class BillingManagerInvitation {
  private status: InvitationStatus = 'pending';
  private decidedBy: string | null = null;
  /** The decision's write to the ledger; settled already while pending. */
  private recorded: Promise<void> = Promise.resolve();
  private readonly expiresAt: Instant;

  constructor(private readonly input: BillingManagerInvitationInput) {
    this.expiresAt = invitationExpiresAt(input.sentAt);
  }

  /** Waits for an acceptance or a revocation; without one before the 7 days are over, the invitation expires. */
  async decided(): Promise<void> {
    const answered = await condition(() => this.status !== 'pending', Math.max(1, epochMs(this.expiresAt) - Date.now()));
    if (!answered) this.close('expired', null);
    await this.recorded;
  }

  validateAccept(account: AcceptingAccount): void {
    const check = checkAcceptance({
      invitation: { status: this.currentStatus(), email: this.input.email, sentAt: this.input.sentAt, acceptedBy: this.decidedBy },
      account,
      now: this.now(),
    });
    if (!check.ok) throw ApplicationFailure.create({ type: check.error, message: check.message, nonRetryable: true });
  }

  /** Accepting again, by the same account, answers with the same acceptance. */
  async accept(account: AcceptingAccount): Promise<InvitationView> {
    if (this.status === 'pending') {
      this.decide('accepted', account.userId, ledger.acceptBillingManagerInvitation({ invitationId: this.input.invitationId, userId: account.userId, at: this.now() }));
    }
    await this.recorded;
    return this.view();
  }

  validateRevoke(): void {
    const status = this.currentStatus();
    if (status === 'pending' || status === 'revoked') return;
    throw ApplicationFailure.create({ type: 'invitation_closed', message: `the invitation is ${status} and can no longer be revoked`, nonRetryable: true });
  }

  async revoke({ revokedBy }: { revokedBy: string | null }): Promise<InvitationView> {
    if (this.status === 'pending') this.close('revoked', revokedBy);
    await this.recorded;
    return this.view();
  }

  view(): InvitationView {
    const { invitationId, scope, sentAt } = this.input;
    return { invitationId, scope, status: this.currentStatus(), sentAt, expiresAt: this.expiresAt, decidedBy: this.decidedBy };
  }

  private close(status: 'revoked' | 'expired', decidedBy: string | null): void {
    this.decide(status, decidedBy, ledger.closeBillingManagerInvitation({ invitationId: this.input.invitationId, status, decidedBy, at: this.now() }));
  }

  private decide(status: InvitationStatus, decidedBy: string | null, record: Promise<unknown>): void {
    this.status = status;
    this.decidedBy = decidedBy;
    this.recorded = record.then(() => undefined);
  }

  /** Past its 7 days, a pending invitation is expired even before its timer has been handled. */
  private currentStatus(): InvitationStatus {
    return this.status === 'pending' && epochMs(this.now()) >= epochMs(this.expiresAt) ? 'expired' : this.status;
  }

  private now(): Instant {
    return instantFromEpochMs(Date.now());
  }
}
