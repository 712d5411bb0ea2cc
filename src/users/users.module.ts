import { Module, OnModuleInit } from '@nestjs/common';
import { EventsModule } from 'src/events/events.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { UsersController } from 'src/users/users.controller';
import { UsersPagesController } from 'src/users/users.pages.controller';
import { UsersService } from 'src/users/users.service';
import { UsersPersonalData } from 'src/users/users.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';

@Module({
  imports: [OrganisationsModule, EventsModule],
  controllers: [UsersController, UsersPagesController],
  providers: [UsersPersonalData, UsersService],
  exports: [UsersService],
})
export class UsersModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly usersPersonalData: UsersPersonalData,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.usersPersonalData);
  }
}
