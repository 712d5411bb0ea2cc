import { Module, OnModuleInit } from '@nestjs/common';
import { AuthController } from 'src/auth/auth.controller';
import { AuthPagesController } from 'src/auth/auth.pages.controller';
import { AuthPersonalData } from 'src/auth/auth.personal-data';
import { AuthService } from 'src/auth/auth.service';
import { SessionListeners } from 'src/auth/session.listeners';
import { SessionService } from 'src/auth/session.service';
import { SignInThrottleService } from 'src/auth/sign-in-throttle.service';
import { EventsModule } from 'src/events/events.module';
import { PersonalDataRegistry } from 'src/privacy/personal-data.registry';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [UsersModule, EventsModule],
  controllers: [AuthController, AuthPagesController],
  providers: [AuthPersonalData, AuthService, SessionService, SessionListeners, SignInThrottleService],
  exports: [SessionService, AuthService],
})
export class AuthModule implements OnModuleInit {
  constructor(
    private readonly personalData: PersonalDataRegistry,
    private readonly authPersonalData: AuthPersonalData,
  ) {}

  onModuleInit(): void {
    this.personalData.register(this.authPersonalData);
  }
}
