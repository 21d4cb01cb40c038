// What a change of the team's subscription leaves in the ledger: its audit rows, and the read model's view (migration
// 011) that the API answers the SaaS's frequent reads from. Written together, by one local activity, at the end of
// each scheduled event, signal, refused request and isolated request, before it ends. A request in a burst of the
// team's requests answers first (records-after-answer, records-in-bursts): its answer carries the view for the caller
// to publish (it reads its own write), and the run's records timer, started in the workflow task that completes the
// update and so as durable as it, writes the burst's records a moment later: one local activity and one workflow task
// for the burst, none before its answers. Runs from before wrote every request's records before its answer.
import { patched, sleep } from '@temporalio/workflow';
import type { PublishedSubscriptionView } from '../team-subscription-messages';
import type { RecordAuditInput } from '../../activities';
import type { AuditTrail } from './audit';
import type { TeamLedger } from './ledger';
import { CARRY_PUBLISHED, CHANGE_RECORDS, RECORDS_AFTER_ANSWER, RECORDS_IN_BURSTS, SUBSCRIPTION_VIEW } from '../patches';
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
 * Whether a request of this run answers before its records (records-after-answer): only runs that decide their patches
 * at their start (run-patches.ts) and write records in one activity. Runs from before answer after them until they
 * continue as new.
 */
export function recordsAfterAnswer(state: TeamState): boolean {
  return !!state.patches && recordsInOneActivity(state) && usesPatch(state, RECORDS_AFTER_ANSWER);
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

/** A request's records follow its answer by this much workflow time, with those of every request answered meanwhile. */
export const RECORDS_AFTER_ANSWER_MS = 1000;

/**
 * records-in-bursts: a request answered within this much workflow time of the team's previous one is in a burst, whose
 * records the timer writes together; an isolated request writes its own before it answers (one workflow task, as
 * before), since a timer of its own would add a workflow task for nothing to share it with.
 */
export const BURST_GAP_MS = 250;

/** The records timer's summary in the history (and the Temporal UI). */
export const RECORDS_TIMER_SUMMARY = 'records of the requests answered';

type Publication = { version: number; view: PublishedSubscriptionView };

export class ChangeRecords {
  /** The JSON of the view last published: by this run, or the carried one's when it matches; undefined until asked. */
  private published: string | null | undefined;
  /** records-after-answer: the view last published in an answer and not written by this run yet. */
  private unwritten: Publication | null = null;
  private timerRunning = false;
  /** Workflow time of the run's last request answer (records-in-bursts); a run starts without one. */
  private lastAnswerAt: number | null = null;
  /** records-after-answer: the write under way; the next waits for it, so the rows reach the ledger in order. */
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(
    private readonly state: TeamState,
    private readonly ledger: TeamLedger,
    private readonly audit: AuditTrail,
  ) {}

  /** Writes the audit rows not written yet, and the view when it changed since this run last wrote it. */
  async write(view: PublishedSubscriptionView): Promise<void> {
    if (!recordsInOneActivity(this.state)) return;
    const published = this.publication(view) ?? this.unwritten;
    this.unwritten = null;
    await this.send(this.audit.take(), published);
  }

  /**
   * records-after-answer: the view after a request's change, for its answer (null when it did not change); the
   * change's records are left to the records timer, started now (a command of the task that answers) unless it runs.
   */
  publishForAnswer(view: PublishedSubscriptionView): Publication | null {
    const published = this.publication(view);
    if (published) this.unwritten = published;
    if (!this.timerRunning && (this.unwritten || this.audit.hasPending())) {
      this.timerRunning = true;
      void sleep(RECORDS_AFTER_ANSWER_MS, { summary: RECORDS_TIMER_SUMMARY }).then(() => {
        this.timerRunning = false; // a request answered during the write starts the next timer
        return this.flush();
      });
    }
    return published;
  }

  /**
   * Whether this request, done now, answers before its records: always under records-after-answer alone; under
   * records-in-bursts only in a burst (the records timer running, or the previous answer under BURST_GAP_MS ago).
   */
  answersFirst(): boolean {
    const previous = this.lastAnswerAt;
    this.lastAnswerAt = Date.now();
    if (!usesPatch(this.state, RECORDS_IN_BURSTS)) return true;
    return this.timerRunning || (previous !== null && this.lastAnswerAt - previous < BURST_GAP_MS);
  }

  /** Writes what the answers left (and waits for a write under way): whether there was anything. Before continue-as-new. */
  async flush(): Promise<boolean> {
    const audits = this.audit.take();
    const published = this.unwritten;
    this.unwritten = null;
    if (audits.length === 0 && !published) {
      await this.lastWrite;
      return false;
    }
    await this.send(audits, published);
    return true;
  }

  /** Only the audit rows (between two scheduled events of one day: each event's rows go out before the next event's). */
  async writeAudits(): Promise<void> {
    if (!recordsInOneActivity(this.state)) return;
    const audits = this.audit.take();
    if (audits.length > 0) await this.send(audits, null);
    else if (recordsAfterAnswer(this.state)) await this.lastWrite; // the records timer's write took them
  }

  /** A new version of the view when it changed since this run last published it, else null. */
  private publication(view: PublishedSubscriptionView): Publication | null {
    const carried = carriedRecord(this.state);
    const json = JSON.stringify(view);
    // The run compares the view's JSON; the fingerprint is taken only to meet the one carried in (at the run's first
    // write) and to carry the one published. A run from before (nothing carried) publishes once at its start.
    if (this.published === undefined) this.published = carried?.view !== undefined && fingerprintOf(json) === carried.view ? json : null;
    if (json === this.published) return null;
    this.published = json;
    if (carried) carried.view = fingerprintOf(json);
    // Workflow time in µs, or one more than the last version if that is later: it grows across continue-as-new,
    // and also when a team's workflow is started afresh (the renewal sweep's repair) with no version carried.
    this.state.viewVersion = Math.max((this.state.viewVersion ?? 0) + 1, Date.now() * 1000);
    return { version: this.state.viewVersion, view };
  }

  private async send(audits: RecordAuditInput[], published: Publication | null): Promise<void> {
    if (audits.length === 0 && !published) return;
    if (!recordsAfterAnswer(this.state)) return this.ledger.recordChange(audits, published); // one at a time already
    const write = this.lastWrite.then(() => this.ledger.recordChange(audits, published));
    this.lastWrite = write.catch(() => undefined);
    await write;
  }
}
