import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import {
  failureOutcome,
  DEFAULT_THROTTLE_POLICY,
  FailureOutcome,
  ThrottlePolicy,
} from 'src/auth/sign-in-throttle';
import { DomainErrorCode, DomainException } from 'src/common/domain.exception';
import { RedisClient } from 'src/common/redis.module';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

export type LockKind = 'account' | 'address';

export interface SignInLock {
  kind: LockKind;
  value: string;
  until: Date;
}

const failuresKey = (kind: LockKind, value: string) => `signin:failures:${kind}:${value}`;
const lockKey = (kind: LockKind, value: string) => `signin:lock:${kind}:${value}`;

@Injectable()
export class SignInThrottleService {
  private readonly policy: ThrottlePolicy;

  constructor(
    private readonly redis: RedisClient,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.policy = { ...DEFAULT_THROTTLE_POLICY, slowdownMs: config.LOGIN_SLOWDOWN_MS };
  }

  async assertNotLocked(email: string, address: string): Promise<void> {
    const [accountTtl, addressTtl] = await Promise.all([
      this.redis.pttl(lockKey('account', email)),
      this.redis.pttl(lockKey('address', address)),
    ]);
    const remaining = Math.max(accountTtl, addressTtl);
    if (remaining > 0) {
      const minutes = Math.ceil(remaining / 60_000);
      throw new DomainException(
        DomainErrorCode.AccountLocked,
        `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to lift the lock.`,
        { retryAfterSeconds: Math.ceil(remaining / 1000) },
      );
    }
  }

  async recordFailure(email: string, address: string): Promise<FailureOutcome> {
    const window = this.policy.windowSeconds;
    const results = await this.redis
      .multi()
      .incr(failuresKey('account', email))
      .expire(failuresKey('account', email), window, 'NX')
      .incr(failuresKey('address', address))
      .expire(failuresKey('address', address), window, 'NX')
      .exec();
    const accountFailures = Number(results?.[0]?.[1] ?? 0);
    const addressFailures = Number(results?.[2]?.[1] ?? 0);
    const outcome = failureOutcome(this.policy, accountFailures, addressFailures);
    if (outcome.lockAccount) await this.lock('account', email, accountFailures);
    if (outcome.lockAddress) await this.lock('address', address, addressFailures);
    return outcome;
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(failuresKey('account', email));
  }

  async listLocks(): Promise<SignInLock[]> {
    const locks: SignInLock[] = [];
    for await (const keys of this.redis.scanKeys('signin:lock:*')) {
      for (const key of keys) {
        const [, , kind, ...rest] = key.split(':');
        const ttl = await this.redis.pttl(key);
        if (ttl > 0)
          locks.push({ kind: kind as LockKind, value: rest.join(':'), until: new Date(Date.now() + ttl) });
      }
    }
    return locks.sort((a, b) => a.until.getTime() - b.until.getTime());
  }

  async lift(actorId: string, kind: LockKind, value: string): Promise<boolean> {
    const removed = await this.redis.del(lockKey(kind, value), failuresKey(kind, value));
    if (removed > 0) {
      await this.audit.record({
        actorId,
        action: 'auth.lock_lifted',
        subjectType: `sign_in_${kind}`,
        subjectId: value,
      });
    }
    return removed > 0;
  }

  private async lock(kind: LockKind, value: string, failures: number): Promise<void> {
    const created = await this.redis.set(
      lockKey(kind, value),
      String(failures),
      'EX',
      this.policy.lockSeconds,
      'NX',
    );
    if (created) {
      await this.audit.record({
        actorId: null,
        action: 'auth.locked',
        subjectType: `sign_in_${kind}`,
        subjectId: value,
        details: { failures, lockMinutes: this.policy.lockSeconds / 60 },
      });
    }
  }
}
