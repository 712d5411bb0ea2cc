import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { notFound, refuse } from 'src/common/refusal';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EVENT_ATTEMPTS, EventsService } from 'src/events/events.service';
import { EmailMessage, EmailStatus, MailAttachment } from 'src/notifications/email-message.entity';
import { MailTemplate, MailTemplates } from 'src/notifications/mail-templates';
import { holdsBody } from 'src/notifications/notifications.retention';
import { NOTIFICATION_EVENTS } from 'src/notifications/notification.events';
import { isErasedAddress } from 'src/users/erased-account';

export interface MailRequest {
  to: string;
  template: MailTemplate;
  context: Record<string, unknown>;
  /** Context keys that must not outlive delivery, such as a single-use link. */
  secretKeys?: string[];
  attachments?: MailAttachment[];
}

const SCRUBBED = '(removed after delivery)';

/**
 * E-mail: every message is stored (the record admins see and retry), and sending it is a `mail.queued` event,
 * so it goes out after the change that caused it commits, with the event mechanism's retries and sweeper.
 */
@Injectable()
export class NotificationsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly templates = new MailTemplates();
  private readonly transport: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly audit: AuditService,
  ) {
    // Pooled: a run of certificates sends hundreds of messages, each of which would otherwise open a connection.
    this.transport = createTransport({ url: config.SMTP_URL, pool: true });
  }

  onModuleInit(): void {
    this.events.declare('notifications', NOTIFICATION_EVENTS);
    this.events.on('mail.queued', 'notifications.send', async ({ messageId }, { finalAttempt }) => {
      try {
        await this.deliver(messageId);
      } catch (error) {
        await this.recordFailure(messageId, (error as Error).message, finalAttempt);
        throw error;
      }
    });
  }

  onModuleDestroy(): void {
    this.transport.close();
  }

  /** Stores the message in the caller's transaction; it is sent once that commits (at once without one). */
  async compose(
    request: MailRequest,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<EmailMessage | null> {
    // An erased person is written to no more, whatever still names them (a reminder, a certificate re-made).
    if (isErasedAddress(request.to)) return null;
    const context = { appUrl: this.config.APP_URL, ...request.context };
    const { subject } = this.templates.render(request.template, context);
    const message = await manager.save(
      manager.create(EmailMessage, {
        toAddress: request.to,
        template: request.template,
        subject,
        context,
        secretKeys: request.secretKeys ?? [],
        attachments: request.attachments ?? [],
        status: 'queued',
      }),
    );
    await this.events.publish(manager, 'mail.queued', { messageId: message.id });
    return message;
  }

  /** Sends a stored message; safe to run twice for the same message. */
  async deliver(messageId: string): Promise<void> {
    const repository = this.dataSource.getRepository(EmailMessage);
    const message = await repository.findOneBy({ id: messageId });
    if (!message || message.status === 'sent') return;
    const rendered = this.templates.render(message.template as MailTemplate, message.context);
    await repository.increment({ id: messageId }, 'attempts', 1);
    await this.transport.sendMail({
      // The same for every try: a worker that dies after the server took the message, before it could record so,
      // sends it again, and the recipient's mail system sees the second copy as the same message.
      messageId: `<${message.id}@${new URL(this.config.APP_URL).hostname}>`,
      from: this.config.MAIL_FROM,
      to: message.toAddress,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      attachments: message.attachments.map((attachment) => ({
        filename: attachment.filename,
        path: join(this.config.STORAGE_DIR, attachment.path),
        contentType: attachment.contentType,
      })),
    });
    const context = { ...message.context };
    for (const key of message.secretKeys) if (key in context) context[key] = SCRUBBED;
    await repository.update(
      { id: messageId },
      { status: 'sent', sentAt: new Date(), lastError: null, context: context as never },
    );
  }

  async recordFailure(messageId: string, error: string, final: boolean): Promise<void> {
    await this.dataSource
      .getRepository(EmailMessage)
      .update(
        { id: messageId },
        { lastError: error.slice(0, 2000), ...(final ? { status: 'failed' as const } : {}) },
      );
    if (final) this.logger.error(`Mail ${messageId} failed after ${EVENT_ATTEMPTS} attempts: ${error}`);
  }

  async retry(actorId: string, messageId: string): Promise<void> {
    const repository = this.dataSource.getRepository(EmailMessage);
    const message = await repository.findOneBy({ id: messageId });
    if (!message) throw notFound('The e-mail');
    if (message.status !== 'failed') return;
    if (!holdsBody(message))
      throw refuse(
        'MAIL_BODY_CLEARED',
        'This e-mail failed so long ago that what it said has been cleared (retention), so it cannot be sent again',
      );
    await this.dataSource.transaction(async (manager) => {
      await manager.update(EmailMessage, { id: messageId }, { status: 'queued' });
      await this.audit.record(
        { actorId, action: 'mail.retried', subjectType: 'email_message', subjectId: messageId },
        manager,
      );
      await this.events.publish(manager, 'mail.queued', { messageId });
    });
  }

  async list(status: EmailStatus | undefined, page: number, pageSize = 50) {
    const [messages, total] = await this.dataSource.getRepository(EmailMessage).findAndCount({
      where: status ? { status } : {},
      order: { createdAt: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { messages, total, page, pageSize };
  }
}
