// What the document email tests share: the emails' environment (a real SMTP server, and the public URL their links
// name), the messages one address received, and a linked PDF fetched through the API and read back as text.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiHarness } from './api-harness';
import { setEnvironment } from './environment';
import { decoded, startSmtpSink, type Received, type SmtpSink } from './smtp-sink';

/** The base URL links in the tests' emails start with (`API_PUBLIC_URL`). */
export const PUBLIC_URL = 'https://billing.example.com';

export interface EmailEnvironment {
  smtp: SmtpSink;
  /** The messages sent to `email` whose text matches `subject`. */
  messagesTo(email: string, subject: RegExp): Received[];
  /** Closes the SMTP server and puts the environment back. */
  close(): Promise<void>;
}

/**
 * The worker's email activities read SMTP_URL and API_PUBLIC_URL (and `settings`, such as INVITATION_ACCEPT_URL)
 * when they send their first email.
 */
export async function startEmailEnvironment(settings: Record<string, string> = {}): Promise<EmailEnvironment> {
  const smtp = await startSmtpSink();
  const restore = setEnvironment({ SMTP_URL: smtp.url, API_PUBLIC_URL: PUBLIC_URL, ...settings });
  return {
    smtp,
    messagesTo: (email, subject) => smtp.received.filter((r) => r.to.includes(email) && subject.test(decoded(r.raw))),
    close: async () => {
      await smtp.close();
      restore();
    },
  };
}

function pdfText(pdf: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'seatbill-pdf-')), 'document.pdf');
  writeFileSync(file, pdf);
  return execFileSync(process.execPath, [join(__dirname, 'pdf-text.mjs'), file], { encoding: 'utf8' });
}

/** The text lines of the PDF a link in an email names, fetched from the API with `token`. */
export async function fetchPdfLines(api: ApiHarness, link: string, token: string): Promise<string[]> {
  const res = await api.call(api.withToken(token), 'get', new URL(link).pathname).buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    }).expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/pdf/);
  return pdfText(res.body as Buffer).split('\n');
}
