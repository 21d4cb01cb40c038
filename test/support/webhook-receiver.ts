// A local HTTP receiver for webhook tests: it records every request (raw body, headers, whether its signature
// verifies) and answers as the test scripts it: a status code, or `hang` (no answer: the sender times out).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type WebhookPayload } from '../../src/webhooks';

export interface ReceivedWebhook {
  path: string;
  payload: WebhookPayload;
  attempt: number;
  deliveryId: string;
  signatureValid: boolean;
  answered: number | 'hang';
}

export type Answer = number | 'hang';

export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Per event ID, the answers to its successive attempts; 200 once the script runs out. */
  private readonly scripts = new Map<string, Answer[]>();
  private readonly secrets = new Map<string, string>();
  private alwaysFailing = new Set<string>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<WebhookReceiver> {
    const holder: { receiver?: WebhookReceiver } = {};
    const server = createServer((req, res) => void holder.receiver!.handle(req, res));
    const receiver = (holder.receiver = new WebhookReceiver(server));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The secret signing what arrives at `path`. */
  expectSecret(path: string, secret: string): void {
    this.secrets.set(path, secret);
  }

  script(eventId: string, answers: Answer[]): void {
    this.scripts.set(eventId, [...answers]);
  }

  failAlways(path: string): void {
    this.alwaysFailing.add(path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const payload = JSON.parse(body) as WebhookPayload;
    const header = req.headers['seatbill-signature'] as string | undefined;
    const answer: Answer = this.alwaysFailing.has(path) ? 500 : (this.scripts.get(payload.id)?.shift() ?? 200);
    this.received.push({
      path, payload, answered: answer,
      attempt: Number(req.headers['seatbill-delivery-attempt']),
      deliveryId: String(req.headers['seatbill-delivery-id']),
      signatureValid: verifyWebhookSignature({ body, header, secret: this.secrets.get(path) ?? '' }).valid,
    });
    if (answer === 'hang') return; // never answers; closed at teardown
    res.writeHead(answer).end();
  }
}
