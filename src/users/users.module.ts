import { Module, OnModuleInit } from '@nestjs/common';
import { EventsModule } from 'src/events/events.module';
import { OrganisationsModule } from 'src/organisations/organisations.module';
import { UsersController } from 'src/users/users.controller';
import { UsersPagesController } from 'src/users/users.pages.controller';
import { UsersService } from 'src/users/users.service';
import { UsersPersonalData } from 'src/users/users.personal-data';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { UsersRetention } from 'src/users/users.retention';
import { RetentionRegistry } from 'src/privacy/retention.registry';

@Module({
  imports: [OrganisationsModule, EventsModule],
  controllers: [UsersController, UsersPagesController],
  providers: [UsersPersonalData, UsersRetention, UsersService],
  exports: [UsersService],
})
export class UsersModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly usersPersonalData: UsersPersonalData,
    private readonly retention: RetentionRegistry,
    private readonly usersRetention: UsersRetention,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.usersPersonalData);
    this.retention.register(this.usersRetention);
  }
}
