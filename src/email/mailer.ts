// Sending email with nodemailer: to SMTP_URL when set; otherwise (the embedded default) each message is written as
// an .eml file under DATA_DIR/mail and its path logged, so a developer can open what would have been sent.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per notice and recipient, so a receiving server can drop a resend. */
  messageId: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ savedTo?: string }>;
}

export interface MailerOptions {
  smtpUrl?: string | undefined;
  /** Where .eml files go without SMTP_URL. */
  dataDir: string;
  from: string;
  log: (fields: Record<string, unknown>, message: string) => void;
}

export function createMailer({ smtpUrl, dataDir, from, log }: MailerOptions): Mailer {
  if (smtpUrl) {
    const transport = nodemailer.createTransport(smtpUrl);
    return {
      async send(email) {
        await transport.sendMail({ from, ...email });
        return {};
      },
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const dir = join(dataDir, 'mail');
  return {
    async send(email) {
      const info = await transport.sendMail({ from, ...email });
      mkdirSync(dir, { recursive: true });
      const savedTo = join(dir, `${Date.now()}-${email.messageId.replace(/[^\w.-]/g, '_')}.eml`);
      writeFileSync(savedTo, info.message as Buffer);
      log({ to: email.to, subject: email.subject, file: savedTo }, 'no SMTP_URL: email written to a file');
      return { savedTo };
    },
  };
}
