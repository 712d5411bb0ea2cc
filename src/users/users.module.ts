import { Module } from '@nestjs/common';
import { NotificationsModule } from 'src/notifications/notifications.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { UsersController } from 'src/users/users.controller';
import { UsersPagesController } from 'src/users/users.pages.controller';
import { UsersService } from 'src/users/users.service';

@Module({
  imports: [OrganisationsModule, NotificationsModule],
  controllers: [UsersController, UsersPagesController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
