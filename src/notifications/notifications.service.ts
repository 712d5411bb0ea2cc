import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createTransport, Transporter } from 'nodemailer';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { notFound } from 'src/common/domain.exception';
import { JOBS, JobPayload, JobQueue, QUEUES } from 'src/common/queues';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EmailMessage, EmailStatus } from 'src/notifications/email-message.entity';
import { MailTemplate, MailTemplates } from 'src/notifications/mail-templates';

export interface MailRequest {
  to: string;
  template: MailTemplate;
  context: Record<string, unknown>;
  /** Context keys that must not outlive delivery, such as a single-use link. */
  secretKeys?: string[];
}

export type MailJob = JobPayload<'mail', 'send'>;

/** A message stored in the caller's transaction, to `dispatch` once that commits. */
export type ComposedMail = Pick<EmailMessage, 'id'>;

export const MAIL_ATTEMPTS = 6;
const SCRUBBED = '(removed after delivery)';

@Injectable()
export class NotificationsService implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationsService.name);
  private readonly templates = new MailTemplates();
  private readonly transport: Transporter;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.mail) private readonly queue: JobQueue<'mail'>,
    private readonly audit: AuditService,
  ) {
    this.transport = createTransport(config.SMTP_URL);
  }

  onModuleDestroy(): void {
    this.transport.close();
  }

  /**
   * Stores the message inside the caller's transaction; call `dispatch` after it commits.
   * A message stored but never dispatched (Redis down) is picked up by the sweeper, so none is lost.
   */
  async compose(
    request: MailRequest,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<EmailMessage> {
    const context = { appUrl: this.config.APP_URL, ...request.context };
    const { subject } = this.templates.render(request.template, context);
    return manager.save(
      manager.create(EmailMessage, {
        toAddress: request.to,
        template: request.template,
        subject,
        context,
        secretKeys: request.secretKeys ?? [],
        status: 'queued',
      }),
    );
  }

  async dispatch(message: ComposedMail): Promise<void> {
    try {
      await this.queue.add(
        JOBS.mail.send,
        { messageId: message.id },
        {
          jobId: `mail-${message.id}`,
          attempts: MAIL_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.MAIL_RETRY_DELAY_MS },
        },
      );
    } catch (error) {
      this.logger.warn(`Mail ${message.id} stays queued for the sweeper: ${(error as Error).message}`);
    }
  }

  async send(request: MailRequest): Promise<EmailMessage> {
    const message = await this.compose(request);
    await this.dispatch(message);
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
      from: this.config.MAIL_FROM,
      to: message.toAddress,
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
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
    if (final) this.logger.error(`Mail ${messageId} failed after ${MAIL_ATTEMPTS} attempts: ${error}`);
  }

  /** Re-dispatches messages whose job never reached Redis or was lost with it. */
  async sweep(olderThanMs = 120_000): Promise<number> {
    const stale = await this.dataSource.getRepository(EmailMessage).find({
      where: { status: 'queued', createdAt: LessThan(new Date(Date.now() - olderThanMs)) },
      select: { id: true },
      take: 500,
    });
    for (const message of stale) await this.dispatch(message);
    return stale.length;
  }

  async retry(actorId: string, messageId: string): Promise<void> {
    const repository = this.dataSource.getRepository(EmailMessage);
    const message = await repository.findOneBy({ id: messageId });
    if (!message) throw notFound('The e-mail');
    if (message.status !== 'failed') return;
    await repository.update({ id: messageId }, { status: 'queued' });
    await this.audit.record({
      actorId,
      action: 'mail.retried',
      subjectType: 'email_message',
      subjectId: messageId,
    });
    await this.dispatch(message);
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
