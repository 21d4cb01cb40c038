// One workflow per notice with an email (ID `notification-emails:<notice key>`), and one per document email (ID
// `document-emails:<key>`: a paid invoice's receipt, a credit note), started by the relay once the row is committed:
// it sends the emails, retrying while the mail server is away. The activity mails
// each recipient once, so a retry after a partial send mails only those left.
import { proxyActivities } from '@temporalio/workflow';
import type { BillingActivities } from '../activities';

export interface NotificationEmailsInput {
  notificationId: number;
}

const emails = proxyActivities<BillingActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export async function notificationEmails(input: NotificationEmailsInput): Promise<{ sent: number; recipients: number }> {
  return emails.sendNotificationEmails({ notificationId: input.notificationId });
}

export interface DocumentEmailsInput {
  documentEmailId: number;
}

export async function documentEmails(input: DocumentEmailsInput): Promise<{ sent: number; recipients: number }> {
  return emails.sendDocumentEmails({ documentEmailId: input.documentEmailId });
}
