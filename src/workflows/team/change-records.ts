// What a change of the team's subscription leaves in the ledger: its audit rows, and the read model's view (migration
// 011) that the API answers the SaaS's frequent reads from. Written together, by one local activity, at the end of
// each request or scheduled event and before a request answers, so a caller reads its own writes.
import { patched } from '@temporalio/workflow';
import type { PublishedSubscriptionView } from '../team-subscription-messages';
import type { AuditTrail } from './audit';
import type { TeamLedger } from './ledger';
import { CARRY_PUBLISHED, CHANGE_RECORDS, SUBSCRIPTION_VIEW } from '../patches';
import type { PublishedRecord, TeamState } from './state';
import { usesPatch } from './run-patches';

/**
 * Whether this run writes a change's records in one local activity: new runs mark it CHANGE_RECORDS; histories written
 * from 47ee2bc until issue 20 hold the same commands under SUBSCRIPTION_VIEW. Workflows that ran before it adopt it at
 * their next change; their histories replay as recorded (audit rows as regular activities, no view).
 */
export function recordsInOneActivity(state: TeamState): boolean {
  return usesPatch(state, CHANGE_RECORDS) || (!state.patches && patched(SUBSCRIPTION_VIEW));
}

/**
 * Where this run keeps what it publishes for the next run (patch carry-published), so a run continued as new does not
 * publish the same view and search attributes again at its start. Null in runs from before, which do.
 */
export function carriedRecord(state: TeamState): PublishedRecord | null {
  if (!state.patches || !usesPatch(state, CARRY_PUBLISHED)) return null;
  return (state.published ??= {});
}

/** FNV-1a, 64 bits, over the text's UTF-16 code units, in hex: a view's fingerprint short enough to carry in the state. */
export function fingerprintOf(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return hash.toString(16);
}

export class ChangeRecords {
  /** The JSON of the view last published: by this run, or the carried one's when it matches; undefined until asked. */
  private published: string | null | undefined;

  constructor(
    private readonly state: TeamState,
    private readonly ledger: TeamLedger,
    private readonly audit: AuditTrail,
  ) {}

  /** Writes the audit rows not written yet, and the view when it changed since this run last published it. */
  async write(view: PublishedSubscriptionView): Promise<void> {
    if (!recordsInOneActivity(this.state)) return;
    const carried = carriedRecord(this.state);
    const json = JSON.stringify(view);
    // The run compares the view's JSON; the fingerprint is taken only to meet the one carried in (at the run's first
    // write) and to carry the one published. A run from before (nothing carried) publishes once at its start.
    if (this.published === undefined) this.published = carried?.view !== undefined && fingerprintOf(json) === carried.view ? json : null;
    const audits = this.audit.take();
    const viewChanged = json !== this.published;
    if (audits.length === 0 && !viewChanged) return;
    let published: { version: number; view: PublishedSubscriptionView } | null = null;
    if (viewChanged) {
      this.published = json;
      if (carried) carried.view = fingerprintOf(json);
      // Workflow time in µs, or one more than the last version if that is later: it grows across continue-as-new,
      // and also when a team's workflow is started afresh (the renewal sweep's repair) with no version carried.
      this.state.viewVersion = Math.max((this.state.viewVersion ?? 0) + 1, Date.now() * 1000);
      published = { version: this.state.viewVersion, view };
    }
    await this.ledger.recordChange(audits, published);
  }

  /** Only the audit rows (between two scheduled events of one day: each event's rows go out before the next event's). */
  async writeAudits(): Promise<void> {
    if (!recordsInOneActivity(this.state)) return;
    const audits = this.audit.take();
    if (audits.length > 0) await this.ledger.recordChange(audits, null);
  }
}
