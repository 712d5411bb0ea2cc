import { Body, Controller, Get, Inject, Post, Query, Redirect, Render, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthService, PASSWORD_RESET_ANSWER } from 'src/auth/auth.service';
import { LoginDto, PasswordResetRequestDto } from 'src/auth/dto/auth.dto';
import { SetPasswordFormDto } from 'src/auth/dto/auth-forms.dto';
import { SessionService } from 'src/auth/session.service';
import { SignInThrottleService } from 'src/auth/sign-in-throttle.service';
import { CurrentUser, Public, Roles } from 'src/common/access.decorators';
import { RateLimited } from 'src/common/rate-limits';
import { answerForm } from 'src/common/form-submission';
import { setFlash } from 'src/common/page-context';
import type { AuthUser } from 'src/common/request-context';
import { sameSitePath } from 'src/common/same-site-path';
import { formValue, validateForm, ValidationFailedException } from 'src/common/validation';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

type FormBody = Record<string, unknown>;

@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionService,
    private readonly throttle: SignInThrottleService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Only paths on this site, so a crafted link cannot send someone elsewhere after signing in. */
  private safeNext(next: unknown): string {
    return sameSitePath(next, this.config.APP_URL);
  }

  @Get('sign-in')
  @Public()
  @RateLimited('accountPages')
  @Render('auth/sign-in')
  signInPage(@Query('next') next?: string) {
    return { title: 'Sign in', next: this.safeNext(next) };
  }

  @Post('sign-in')
  @Public()
  @RateLimited('signIn')
  @Redirect()
  async signIn(@Body() body: FormBody, @Req() request: FastifyRequest) {
    const next = this.safeNext(body.next);
    const form = {
      url: `/sign-in?next=${encodeURIComponent(next)}`,
      values: { email: body.email },
      fields: ['email', 'password'],
    };
    return answerForm(request, form, async () => {
      const dto = await formValue(LoginDto, { email: body.email, password: body.password });
      const user = await this.auth.signIn(dto.email, dto.password, request.ip);
      await this.sessions.signIn(request, user.id);
      return next;
    });
  }

  @Post('sign-out')
  @Redirect('/sign-in', 303)
  async signOut(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest) {
    await this.auth.recordSignOut(user);
    await this.sessions.signOut(request);
    setFlash(request, { kind: 'success', text: 'You have signed out.' });
  }

  @Get('forgot-password')
  @Public()
  @RateLimited('accountPages')
  @Render('auth/forgot-password')
  forgotPasswordPage() {
    return { title: 'Reset your password' };
  }

  @Post('forgot-password')
  @Public()
  @RateLimited('accountLinks')
  @Redirect()
  async forgotPassword(@Body() body: FormBody, @Req() request: FastifyRequest) {
    const values = { email: body.email };
    return answerForm(request, { url: '/forgot-password', values, fields: ['email'] }, async () => {
      const dto = await formValue(PasswordResetRequestDto, values);
      await this.auth.requestPasswordReset(dto.email);
      setFlash(request, { kind: 'success', text: PASSWORD_RESET_ANSWER });
      return '/sign-in';
    });
  }

  @Get('reset-password')
  @Public()
  @RateLimited('accountPages')
  @Render('auth/set-password')
  resetPasswordPage(@Query('token') token?: string) {
    return {
      title: 'Choose a new password',
      action: '/reset-password',
      token: token ?? '',
      button: 'Change password',
    };
  }

  @Post('reset-password')
  @Public()
  @RateLimited('accountLinks')
  @Redirect()
  async resetPassword(@Body() body: FormBody, @Req() request: FastifyRequest) {
    return this.setPassword(body, request, '/reset-password', async (token, password) => {
      await this.auth.resetPassword(token, password);
      setFlash(request, {
        kind: 'success',
        text: 'Your password has been changed. Sign in with the new password.',
      });
      return '/sign-in';
    });
  }

  @Get('accept-invitation')
  @Public()
  @RateLimited('accountPages')
  @Render('auth/set-password')
  acceptInvitationPage(@Query('token') token?: string) {
    return {
      title: 'Set up your account',
      intro: 'Choose a password to finish setting up your FPM Training account.',
      action: '/accept-invitation',
      token: token ?? '',
      button: 'Create account',
    };
  }

  @Post('accept-invitation')
  @Public()
  @RateLimited('accountLinks')
  @Redirect()
  async acceptInvitation(@Body() body: FormBody, @Req() request: FastifyRequest) {
    return this.setPassword(body, request, '/accept-invitation', async (token, password) => {
      const user = await this.auth.acceptInvitation(token, password);
      await this.sessions.signIn(request, user.id);
      setFlash(request, { kind: 'success', text: `Welcome, ${user.name}. Your account is ready.` });
      return '/';
    });
  }

  @Get('admin/sign-in-locks')
  @Roles('admin')
  @Render('auth/sign-in-locks')
  async locksPage() {
    const locks = await this.throttle.listLocks();
    return {
      title: 'Sign-in locks',
      locks: locks.map((lock) => ({ ...lock, isAccount: lock.kind === 'account' })),
    };
  }

  @Post('admin/sign-in-locks/lift')
  @Roles('admin')
  @Redirect('/admin/sign-in-locks', 303)
  async liftLock(@CurrentUser() user: AuthUser, @Body() body: FormBody, @Req() request: FastifyRequest) {
    const kind = body.kind === 'address' ? 'address' : 'account';
    const lifted = typeof body.value === 'string' && (await this.throttle.lift(user.id, kind, body.value));
    setFlash(
      request,
      lifted
        ? { kind: 'success', text: `The lock on ${String(body.value)} has been lifted.` }
        : { kind: 'important', text: 'That lock had already ended.' },
    );
  }

  private async setPassword(
    body: FormBody,
    request: FastifyRequest,
    formPath: string,
    apply: (token: string, password: string) => Promise<string>,
  ) {
    const token = typeof body.token === 'string' ? body.token : '';
    const form = {
      url: `${formPath}?token=${encodeURIComponent(token)}`,
      // Passwords are never shown again.
      values: {},
      fields: ['token', 'password', 'confirmPassword'],
    };
    return answerForm(request, form, async () => {
      const input = { token, password: body.password, confirmPassword: body.confirmPassword };
      const { value, errors } = await validateForm(SetPasswordFormDto, input);
      const allErrors = { ...(errors ?? {}) };
      if (!allErrors.password && value.password !== value.confirmPassword) {
        allErrors.confirmPassword = ['The passwords do not match'];
      }
      if (Object.keys(allErrors).length > 0) throw new ValidationFailedException(allErrors);
      return apply(value.token, value.password);
    });
  }
}
