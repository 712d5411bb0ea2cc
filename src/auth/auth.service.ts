import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from 'src/audit/audit.service';
import { AUTH_EVENTS } from 'src/auth/auth.events';
import { SessionService } from 'src/auth/session.service';
import { SignInThrottleService } from 'src/auth/sign-in-throttle.service';
import { refuse } from 'src/common/refusal';
import { RedisClient } from 'src/common/redis.module';
import type { AuthUser } from 'src/common/request-context';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';
import { EventsService } from 'src/events/events.service';
import { verifyDecoy, verifyPassword } from 'src/users/password-hasher';
import { toAuthUser, UsersService } from 'src/users/users.service';

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
const RESET_REQUESTS_PER_HOUR = 3;

/** The one answer to a reset request, whether or not the address has an account. */
export const PASSWORD_RESET_ANSWER =
  'If an account uses that address, we have sent it a link to choose a new password. The link works for 1 hour.';

const WRONG_CREDENTIALS = 'The e-mail address or password is not right';
const LINK_UNUSABLE = 'This link has expired or has already been used. Ask for a new one.';

@Injectable()
export class AuthService implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly throttle: SignInThrottleService,
    private readonly sessions: SessionService,
    private readonly events: EventsService,
    private readonly redis: RedisClient,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.events.declare('auth', AUTH_EVENTS);
  }

  /** A new single-use link to choose a password, valid for an hour, for the e-mail that answers a request. */
  async passwordResetLink(userId: string, manager: EntityManager): Promise<string> {
    const token = await this.users.issueToken(userId, 'password_reset', PASSWORD_RESET_TTL_MS, manager);
    return `${this.config.APP_URL}/reset-password?token=${token}`;
  }

  /**
   * Checks a password, with slowing and locking of repeated failures per account and per address. The attempt is
   * reserved before the password is verified, so parallel guesses cannot outrun the lock.
   */
  async signIn(email: string, password: string, address: string): Promise<AuthUser> {
    const attempt = await this.throttle.reserveAttempt(email, address);
    const user = await this.users.findForSignIn(email);
    const valid =
      user?.passwordHash && user.status === 'active'
        ? await verifyPassword(user.passwordHash, password)
        : (await verifyDecoy(password), false);
    if (!user || !valid) {
      const outcome = await this.throttle.recordFailure(email, address, attempt);
      await this.audit.record({
        actorId: user?.id ?? null,
        action: 'auth.sign_in_failed',
        subjectType: 'user',
        subjectId: user?.id,
        details: {
          email,
          reason: !user
            ? 'unknown_email'
            : user.status !== 'active'
              ? `account_${user.status}`
              : 'wrong_password',
        },
      });
      if (outcome.delayMs > 0) await sleep(outcome.delayMs);
      throw this.throttle.lockedOutFor(outcome) ?? refuse('WRONG_CREDENTIALS', WRONG_CREDENTIALS);
    }
    await this.throttle.recordSuccess(email, address);
    await this.users.markSignedIn(user.id);
    await this.audit.record({
      actorId: user.id,
      action: 'auth.signed_in',
      subjectType: 'user',
      subjectId: user.id,
    });
    return toAuthUser(user);
  }

  async recordSignOut(user: AuthUser): Promise<void> {
    await this.audit.record({
      actorId: user.id,
      action: 'auth.signed_out',
      subjectType: 'user',
      subjectId: user.id,
    });
  }

  /** Always answers the same way, so the form cannot be used to learn who has an account. */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await this.users.findActiveByEmail(email);
    if (!user) return;
    const key = `password-reset-requests:${user.id}`;
    const requests = await this.redis.multi().incr(key).expire(key, 3600, 'NX').exec();
    if (Number(requests?.[0]?.[1] ?? 0) > RESET_REQUESTS_PER_HOUR) return;
    await this.dataSource.transaction(async (manager) => {
      await this.audit.record(
        { actorId: null, action: 'auth.password_reset_requested', subjectType: 'user', subjectId: user.id },
        manager,
      );
      await this.events.publish(manager, 'auth.password_reset_requested', { userId: user.id });
    });
  }

  async resetPassword(token: string, password: string): Promise<AuthUser> {
    const user = await this.redeemAndSetPassword('password_reset', token, password, 'auth.password_reset');
    await this.sessions.endAllFor(user.id);
    return user;
  }

  async acceptInvitation(token: string, password: string): Promise<AuthUser> {
    return this.redeemAndSetPassword('invitation', token, password, 'user.invitation_accepted');
  }

  private async redeemAndSetPassword(
    purpose: 'invitation' | 'password_reset',
    token: string,
    password: string,
    action: string,
  ): Promise<AuthUser> {
    const user = await this.dataSource.transaction(async (manager) => {
      const userId = await this.users.redeemToken(purpose, token, manager);
      if (!userId) throw refuse('LINK_UNUSABLE', LINK_UNUSABLE);
      const updated = await this.users.setPassword(userId, password, manager);
      await this.audit.record({ actorId: userId, action, subjectType: 'user', subjectId: userId }, manager);
      return updated;
    });
    return toAuthUser(user);
  }
}
