import { Module } from '@nestjs/common';
import { AppModule } from 'src/app.module';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { RemindersProcessor } from 'src/cohorts/reminders.processor';
import { MailProcessor } from 'src/notifications/mail.processor';
import { NotificationsModule } from 'src/notifications/notifications.module';

/** The BullMQ processors (mail, reminders), over the same services as the web process. */
@Module({
  imports: [AppModule, NotificationsModule, CohortsModule],
  providers: [MailProcessor, RemindersProcessor],
})
export class WorkerModule {}
