import { Body, Controller, Delete, Get, HttpCode, Param, ParseEnumPipe, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthService, PASSWORD_RESET_ANSWER } from 'src/auth/auth.service';
import { LoginDto, PasswordResetRequestDto, SetPasswordDto } from 'src/auth/dto/auth.dto';
import { SessionService } from 'src/auth/session.service';
import { SignInThrottleService } from 'src/auth/sign-in-throttle.service';
import { CurrentUser, Public, Roles } from 'src/common/access.decorators';
import { RateLimited } from 'src/common/rate-limits';
import { notFound } from 'src/common/refusal';
import type { AuthUser } from 'src/common/request-context';
import { UsersService } from 'src/users/users.service';

@ApiTags('auth')
@Controller('api/v1')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottleService,
    private readonly users: UsersService,
  ) {}

  @Post('auth/login')
  @Public()
  @RateLimited('signIn')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() request: FastifyRequest) {
    const user = await this.auth.signIn(dto.email, dto.password, request.ip);
    await this.sessions.signIn(request, user.id);
    return { user };
  }

  @Post('auth/logout')
  @HttpCode(204)
  async logout(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest) {
    await this.auth.recordSignOut(user);
    await this.sessions.signOut(request);
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser) {
    return this.users.profile(user);
  }

  @Post('auth/password-reset')
  @Public()
  @RateLimited('accountLinks')
  @HttpCode(202)
  async requestPasswordReset(@Body() dto: PasswordResetRequestDto) {
    await this.auth.requestPasswordReset(dto.email);
    return { message: PASSWORD_RESET_ANSWER };
  }

  @Post('auth/password-reset/confirm')
  @Public()
  @RateLimited('accountLinks')
  @HttpCode(200)
  async confirmPasswordReset(@Body() dto: SetPasswordDto) {
    await this.auth.resetPassword(dto.token, dto.password);
    return { message: 'Your password has been changed. Sign in with the new password.' };
  }

  @Post('auth/accept-invitation')
  @Public()
  @RateLimited('accountLinks')
  @HttpCode(200)
  async acceptInvitation(@Body() dto: SetPasswordDto, @Req() request: FastifyRequest) {
    const user = await this.auth.acceptInvitation(dto.token, dto.password);
    await this.sessions.signIn(request, user.id);
    return { user };
  }

  @Get('auth/sign-in-locks')
  @Roles('admin')
  locks() {
    return this.throttle.listLocks();
  }

  @Delete('auth/sign-in-locks/:kind/:value')
  @Roles('admin')
  @HttpCode(204)
  async lift(
    @CurrentUser() user: AuthUser,
    @Param('kind', new ParseEnumPipe(['account', 'address'])) kind: 'account' | 'address',
    @Param('value') value: string,
  ) {
    if (!(await this.throttle.lift(user.id, kind, value))) throw notFound('The sign-in lock');
  }
}
