import { Module } from '@nestjs/common';
import { AppModule } from 'src/app.module';
import { MailProcessor } from 'src/notifications/mail.processor';
import { NotificationsModule } from 'src/notifications/notifications.module';

/** The BullMQ processors, over the same services as the web process. */
@Module({
  imports: [AppModule, NotificationsModule],
  providers: [MailProcessor],
})
export class WorkerModule {}
