import { AddressInfo } from 'node:net';
import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CapturedMail {
  messageId: string;
  to: string[];
  /** Whom the sender asked the server to deliver to (RCPT TO), whatever the headers say. */
  recipients: string[];
  /** Every header line as it arrived, folded lines joined. */
  headerLines: string[];
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/**
 * A real SMTP server on loopback that keeps what it receives; `failNext` makes it refuse messages, `pause` keeps
 * them waiting before it takes them, and `holdNextReply` takes one but keeps its sender waiting to hear so.
 */
export class SmtpCapture {
  readonly messages: CapturedMail[] = [];
  private refuse = 0;
  private paused?: Promise<void>;
  private resumePaused?: () => void;
  private waitingCount = 0;
  private readonly senderGone = new Map<string, () => void>();
  private hold?: {
    matches: (mail: CapturedMail) => boolean;
    received: (mail: CapturedMail) => void;
    release: Promise<void>;
  };
  private server!: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onClose: (session) => this.senderGone.get(session.id)?.(),
      onData: (stream, session, callback) => {
        if (this.refuse > 0) {
          this.refuse -= 1;
          stream.resume();
          stream.on('end', () =>
            callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })),
          );
          return;
        }
        simpleParser(stream)
          .then(async (mail: ParsedMail) => {
            if (this.paused) {
              this.waitingCount += 1;
              const gone = new Promise<'gone'>((resolve) =>
                this.senderGone.set(session.id, () => resolve('gone')),
              );
              const outcome = await Promise.race([this.paused.then(() => 'taken' as const), gone]);
              this.senderGone.delete(session.id);
              this.waitingCount -= 1;
              // Its sender went away before the server took it: as far as either knows, it was never sent.
              if (outcome === 'gone') return callback(new Error('The sender has gone'));
            }
            const to = ([] as Array<{ value: Array<{ address?: string }> }>)
              .concat((mail.to as never) ?? [])
              .flatMap((group) => group.value.map((entry) => entry.address ?? ''));
            const captured: CapturedMail = {
              messageId: mail.messageId ?? '',
              to,
              recipients: session.envelope.rcptTo.map((recipient) => recipient.address),
              headerLines: mail.headerLines.map((header) => header.line),
              subject: mail.subject ?? '',
              text: mail.text ?? '',
              html: String(mail.html || ''),
              attachments: mail.attachments.map((attachment) => ({
                filename: attachment.filename ?? '',
                contentType: attachment.contentType,
                content: attachment.content,
              })),
            };
            this.messages.push(captured);
            const hold = this.hold;
            if (!hold?.matches(captured)) return callback();
            this.hold = undefined;
            hold.received(captured);
            void hold.release.then(() => callback());
          })
          .catch((error: Error) => callback(error));
      },
    });
    // A sender that goes away mid-conversation (a worker killed by a test) is no fault of the server's.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  failNext(count: number): void {
    this.refuse = count;
  }

  /** Messages that arrive from now wait, not yet taken, until `resume`; one whose sender goes away is dropped. */
  pause(): void {
    this.paused ??= new Promise((resolve) => (this.resumePaused = resolve));
  }

  /** Takes the messages kept waiting. */
  resume(): void {
    this.resumePaused?.();
    this.paused = undefined;
  }

  /** How many messages wait for `resume`, their senders still there. */
  get waiting(): number {
    return this.waitingCount;
  }

  /**
   * Keeps the next message that `matches` without answering its sender until `release` is called: the message has
   * arrived, and its sender does not know it yet.
   */
  holdNextReply(matches: (mail: CapturedMail) => boolean): {
    received: Promise<CapturedMail>;
    release: () => void;
  } {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const received = new Promise<CapturedMail>((resolve) => {
      this.hold = { matches, received: resolve, release: released };
    });
    return { received, release };
  }

  /** The first message to `to`, or to `to` with a subject matching `subject` when a person gets several. */
  async waitFor(
    to: string,
    { subject, timeoutMs = 10_000 }: { subject?: RegExp; timeoutMs?: number } = {},
  ): Promise<CapturedMail> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.messages.find(
        (message) => message.to.includes(to) && (!subject || subject.test(message.subject)),
      );
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `No e-mail to ${to} within ${timeoutMs} ms (got: ${this.messages.map((m) => m.to).join('; ')})`,
    );
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The first link in a message's text that starts with `prefix`. */
export function linkIn(mail: CapturedMail, prefix: string): string {
  const match = mail.text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+`));
  if (!match) throw new Error(`No link starting ${prefix} in: ${mail.text}`);
  return match[0];
}
