import { Module } from '@nestjs/common';
import { AuthModule } from 'src/auth/auth.module';
import { CertificatesModule } from 'src/certificates/certificates.module';
import { CohortsModule } from 'src/cohorts/cohorts.module';
import { EventsModule } from 'src/events/events.module';
import { LogbooksModule } from 'src/logbooks/logbooks.module';
import { NotificationListeners } from 'src/notifications/notification.listeners';
import { MaterialsModule } from 'src/materials/materials.module';
import { NotificationsPagesController } from 'src/notifications/notifications.pages.controller';
import { NotificationsService } from 'src/notifications/notifications.service';
import { UsersModule } from 'src/users/users.module';

/** E-mail: the messages sent, and the listeners that decide which e-mail each event calls for. */
@Module({
  imports: [
    EventsModule,
    UsersModule,
    AuthModule,
    CohortsModule,
    LogbooksModule,
    CertificatesModule,
    MaterialsModule,
  ],
  controllers: [NotificationsPagesController],
  providers: [NotificationsService, NotificationListeners],
  exports: [NotificationsService],
})
export class NotificationsModule {}
