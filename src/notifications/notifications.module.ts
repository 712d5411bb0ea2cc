import { Module, OnModuleInit } from '@nestjs/common';
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
import { NotificationsPersonalData } from 'src/notifications/notifications.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { NotificationsRetention } from 'src/notifications/notifications.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

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
  providers: [NotificationsPersonalData, NotificationsRetention, NotificationsService, NotificationListeners],
  exports: [NotificationsService],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly notificationsPersonalData: NotificationsPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly notificationsRetention: NotificationsRetention,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.notificationsPersonalData);
    this.retention.register(this.notificationsRetention);
  }
}
