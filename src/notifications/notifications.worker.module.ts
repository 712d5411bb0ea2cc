import { Module } from '@nestjs/common';
import { JobHandlersModule } from 'src/common/job-handlers.module';
import { MailProcessor } from 'src/notifications/mail.processor';
import { NotificationsModule } from 'src/notifications/notifications.module';

/** The mail processor, for the worker process only: the web process enqueues and never consumes. */
@Module({ imports: [NotificationsModule, JobHandlersModule], providers: [MailProcessor] })
export class NotificationsWorkerModule {}
