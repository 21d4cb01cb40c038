// A low-balance alert's email (section 12, beyond the source): to the account's owner, the user whose id the
// account is, and to the recipients the account had set when its balance crossed (kept on the alert), each once.
import type { Cents } from '../domain/money';
import type { DbOrTrx } from '../ledger/rows';
import type { EmailSettings } from './settings';
import type { TemplateFacts } from './templates';

/** What a document email says, and to whom. */
export interface DocumentEmail {
  facts: TemplateFacts;
  recipients: string[];
}

interface AlertRow {
  account_id: string;
  balance: Cents;
  threshold: Cents;
  recipients: string[];
  created_at: Date;
}

export async function lowBalanceAlertEmail(db: DbOrTrx, settings: EmailSettings, alertKey: string): Promise<DocumentEmail> {
  const alert = (await db('api_credit_alerts').where({ idempotency_key: alertKey }).first()) as AlertRow;
  const owner = (await db('users').where({ id: alert.account_id }).first('email', 'name')) as { email: string; name: string } | undefined;
  // Addresses are stored lower-cased (users, and the recipients the API accepts): an owner also listed is mailed once.
  const recipients = [...new Set([...(owner ? [owner.email] : []), ...alert.recipients])];
  const account = encodeURIComponent(alert.account_id);
  return {
    facts: {
      on: new Date(alert.created_at).toISOString(),
      payload: { accountId: alert.account_id, balance: alert.balance, threshold: alert.threshold },
      scopeName: owner?.name ?? `API-credit account ${alert.account_id}`,
      purchaseUrl: settings.apiUrl(`/v1/api-credits/${account}/purchases`),
    },
    recipients,
  };
}
