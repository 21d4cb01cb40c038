// What the email activities are built with. The worker passes nothing: they are read from the environment
// (SMTP_URL, EMAIL_FROM, INVITATION_ACCEPT_URL, API_PUBLIC_URL, DATA_DIR) the first time an email is sent.
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { createMailer, type Mailer } from './mailer';

export interface EmailSettings {
  mailer: Mailer;
  /** The link an invitee follows to accept. */
  acceptUrl(invitationId: string): string;
  /** A link to this API's `path` (`/v1/...`), for links to documents. */
  apiUrl(path: string): string;
}

export function emailSettingsFromEnvironment(env: NodeJS.ProcessEnv = process.env): EmailSettings {
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  return {
    mailer: createMailer({ smtpUrl: config.SMTP_URL, dataDir: config.DATA_DIR, from: config.EMAIL_FROM, log: (fields, message) => logger.info(fields, message) }),
    acceptUrl: (invitationId) => config.INVITATION_ACCEPT_URL.replace('{invitationId}', encodeURIComponent(invitationId)),
    apiUrl: (path) => `${config.API_PUBLIC_URL}${path}`,
  };
}
