// After a commit, the outbox's rows are handed to Temporal: for each endpoint, the workflow of its oldest pending
// delivery (the head of its queue), and one email workflow per queued notice or document email. Starting is
// idempotent by workflow ID, so the relay may run as often as it likes: after every outbox write that queued something
// (or that a retry found written, its first attempt's relay perhaps never run), and again by each delivery that ends.
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { DbOrTrx } from '../ledger/rows';
import { billingTaskQueue } from '../workflows/charges-queue';
import type { DocumentEmailsInput, NotificationEmailsInput } from '../workflows/notification-emails';
import type { WebhookDeliveryInput } from '../workflows/webhook-delivery';

export interface RelayTarget {
  temporal: Client;
  taskQueue: string;
}

// Workflow IDs from business facts (the event and endpoint, the notice's key), never from a database serial: a
// serial is unique in one database only, and a Temporal namespace may outlive it or serve several.
export const webhookDeliveryWorkflowId = (deliveryKey: string) => `webhook-delivery:${deliveryKey}`;
export const notificationEmailsWorkflowId = (noticeKey: string) => `notification-emails:${noticeKey}`;
export const documentEmailsWorkflowId = (documentEmailKey: string) => `document-emails:${documentEmailKey}`;

export async function relayOutbound(db: DbOrTrx, target: RelayTarget, only?: { endpointId: string }): Promise<void> {
  await startQueueHeads(db, target, only?.endpointId);
  if (only) return;
  await startQueuedEmails(db, target, notificationEmailQueue);
  await startQueuedEmails(db, target, documentEmailQueue);
}

/** From inside an activity: its worker's client and task queue. Outside a worker (a direct call) it does nothing. */
export async function relayFromActivity(db: DbOrTrx, only?: { endpointId: string }): Promise<void> {
  let target: RelayTarget;
  try {
    const context = Context.current();
    target = { temporal: context.client, taskQueue: billingTaskQueue(context.info.taskQueue) }; // a collection runs on the charges queue
  } catch {
    return;
  }
  await relayOutbound(db, target, only);
}

/** What one outbox write did: whether it found its fact already written, and how many rows it queued. */
export interface OutboxWrite {
  foundWritten: boolean;
  queued: number;
}

/**
 * The relay after an outbox write commits. It runs when the write queued something, or when it found its fact
 * already written: that was an earlier attempt's commit, and its relay may never have run. A fresh write that
 * queued nothing has nothing to send, and skips the relay's three reads.
 */
export async function relayAfterWrite(db: DbOrTrx, write: OutboxWrite): Promise<void> {
  if (write.foundWritten || write.queued > 0) await relayFromActivity(db);
}

/**
 * One running delivery per endpoint, the oldest pending: that is what keeps an endpoint's deliveries in order.
 * A completed workflow's ID is never reused (a late relay cannot send a delivered event again); a failed or
 * terminated one's may be, so a queue is never stuck behind a run an operator ended.
 */
async function startQueueHeads(db: DbOrTrx, { temporal, taskQueue }: RelayTarget, endpointId?: string): Promise<void> {
  const heads = (await db('webhook_deliveries')
    .distinctOn('endpoint_id')
    .where({ status: 'pending', ...(endpointId ? { endpoint_id: endpointId } : {}) })
    .orderBy([{ column: 'endpoint_id' }, { column: 'id' }])
    .select('id', 'endpoint_id', 'idempotency_key', db.raw('(extract(epoch from now() - created_at) * 1000)::bigint as queued_for_ms'))) as {
    id: number; endpoint_id: string; idempotency_key: string; queued_for_ms: number;
  }[];
  for (const head of heads) {
    const input: WebhookDeliveryInput = { deliveryId: head.id, endpointId: head.endpoint_id, queuedForMs: Math.max(0, head.queued_for_ms) };
    await startOnce(temporal, 'webhookDelivery', webhookDeliveryWorkflowId(head.idempotency_key), taskQueue, input);
  }
}

/** Queued emails of one kind a relay starts at most: with a relay after every write, each takes its own and a few more. */
const EMAILS_PER_RELAY = 20;

/** One email queue: its table and id column, how a row's key is read, and the workflow that sends it. */
interface EmailQueue {
  table: 'notification_emails' | 'document_emails';
  id: string;
  /** The queued rows with their id and key, oldest first. */
  rows: (trx: DbOrTrx) => ReturnType<DbOrTrx['queryBuilder']>;
  workflowType: string;
  workflowId: (key: string) => string;
  input: (id: number) => unknown;
}

const notificationEmailQueue: EmailQueue = {
  table: 'notification_emails', id: 'notification_id',
  rows: (trx) => trx('notification_emails').join('notifications', 'notifications.id', 'notification_emails.notification_id').select('notification_id as id', 'notifications.idempotency_key as key'),
  workflowType: 'notificationEmails', workflowId: notificationEmailsWorkflowId, input: (notificationId) => ({ notificationId }) satisfies NotificationEmailsInput,
};

const documentEmailQueue: EmailQueue = {
  table: 'document_emails', id: 'id',
  rows: (trx) => trx('document_emails').select('id', 'idempotency_key as key'),
  workflowType: 'documentEmails', workflowId: documentEmailsWorkflowId, input: (documentEmailId) => ({ documentEmailId }) satisfies DocumentEmailsInput,
};

/**
 * Each relay claims queued emails no other relay holds (FOR UPDATE … SKIP LOCKED), starts their workflows and marks
 * them, in one transaction: relays running at once (a publication's thousands of notices, billing day's receipts)
 * share the queue out instead of each starting the same ones. A relay that fails leaves its claim for the next.
 */
async function startQueuedEmails(db: DbOrTrx, { temporal, taskQueue }: RelayTarget, queue: EmailQueue): Promise<void> {
  await db.transaction(async (trx) => {
    const column = `${queue.table}.${queue.id}`;
    const queued = (await queue.rows(trx).where({ [`${queue.table}.dispatched`]: false }).orderBy(column).limit(EMAILS_PER_RELAY)
      .forUpdate(queue.table).skipLocked()) as { id: number; key: string }[];
    if (queued.length === 0) return;
    await Promise.all(queued.map(({ id, key }) => startOnce(temporal, queue.workflowType, queue.workflowId(key), taskQueue, queue.input(id))));
    await trx(queue.table).whereIn(queue.id, queued.map((row) => row.id)).update({ dispatched: true });
  });
}

async function startOnce(temporal: Client, workflowType: string, workflowId: string, taskQueue: string, input: unknown): Promise<void> {
  try {
    await temporal.workflow.start(workflowType, { taskQueue, workflowId, args: [input], workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}
