import { Module } from '@nestjs/common';
import { AuthController } from 'src/auth/auth.controller';
import { AuthPagesController } from 'src/auth/auth.pages.controller';
import { AuthService } from 'src/auth/auth.service';
import { SessionListeners } from 'src/auth/session.listeners';
import { SessionService } from 'src/auth/session.service';
import { SignInThrottleService } from 'src/auth/sign-in-throttle.service';
import { EventsModule } from 'src/events/events.module';
import { UsersModule } from 'src/users/users.module';

@Module({
  imports: [UsersModule, EventsModule],
  controllers: [AuthController, AuthPagesController],
  providers: [AuthService, SessionService, SessionListeners, SignInThrottleService],
  exports: [SessionService, AuthService],
})
export class AuthModule {}
