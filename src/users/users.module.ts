import { Module } from '@nestjs/common';
import { EventsModule } from 'src/events/events.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { UsersController } from 'src/users/users.controller';
import { UsersPagesController } from 'src/users/users.pages.controller';
import { UsersService } from 'src/users/users.service';

@Module({
  imports: [OrganisationsModule, EventsModule],
  controllers: [UsersController, UsersPagesController],
  providers: [UsersService],
  exports: [UsersService],
})
export class UsersModule {}
