import { sendDocumentEmails, sendNotificationEmails } from '../email/send';
import { emailSettingsFromEnvironment, type EmailSettings } from '../email/settings';
import type { BillingDependencies } from './dependencies';

/** The email settings the dependencies name, else the environment's, built at the first email (not at start-up). */
export function lazyEmailSettings(deps: BillingDependencies): () => EmailSettings {
  let settings: EmailSettings | undefined = deps.email;
  return () => (settings ??= emailSettingsFromEnvironment());
}

export function emailActivities(deps: BillingDependencies) {
  const settings = lazyEmailSettings(deps);
  return {
    /** The emails of one notice, each recipient mailed once however often this runs. */
    sendNotificationEmails(input: { notificationId: number }): Promise<{ sent: number; recipients: number }> {
      return sendNotificationEmails(deps.db, settings(), input.notificationId);
    },
    /** A document's email (a paid invoice's receipt, a credit note to the card), each recipient mailed once. */
    sendDocumentEmails(input: { documentEmailId: number }): Promise<{ sent: number; recipients: number }> {
      return sendDocumentEmails(deps.db, settings(), input.documentEmailId);
    },
  };
}
