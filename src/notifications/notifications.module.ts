import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from 'src/common/queues';
import { NotificationsPagesController } from 'src/notifications/notifications.pages.controller';
import { NotificationsService } from 'src/notifications/notifications.service';

@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.mail })],
  controllers: [NotificationsPagesController],
  providers: [NotificationsService],
  exports: [NotificationsService, BullModule],
})
export class NotificationsModule {}
