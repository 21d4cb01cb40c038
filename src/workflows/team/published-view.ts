// The team's subscription as the ledger's read model shows it (migration 010), so the API can answer the reads the
// SaaS makes on every request without a workflow query. Published after each change, only when it changed.
import { patched } from '@temporalio/workflow';
import type { PublishedSubscriptionView } from '../team-subscription-messages';
import type { TeamLedger } from './ledger';
import type { TeamState } from './state';

export class ViewPublisher {
  /** What this run last published; a new run publishes once at its start. */
  private published: string | null = null;

  constructor(
    private readonly state: TeamState,
    private readonly ledger: TeamLedger,
  ) {}

  async publish(view: PublishedSubscriptionView): Promise<void> {
    // Workflows that ran before the read model existed adopt it at their next change; their histories replay as recorded.
    if (!patched('subscription-view')) return;
    const fingerprint = JSON.stringify(view);
    if (fingerprint === this.published) return;
    this.published = fingerprint;
    // Workflow time in µs, or one more than the last version if that is later: it grows across continue-as-new,
    // and also when a team's workflow is started afresh (the renewal sweep's repair) with no version carried.
    this.state.viewVersion = Math.max((this.state.viewVersion ?? 0) + 1, Date.now() * 1000);
    await this.ledger.publishView(this.state.viewVersion, view);
  }
}
