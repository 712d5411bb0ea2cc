import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from 'src/audit/audit.service';
import {
  failureOutcome,
  DEFAULT_THROTTLE_POLICY,
  FailureOutcome,
  ThrottlePolicy,
} from 'src/auth/sign-in-throttle';
import { Refusal, refuse } from 'src/common/refusal';
import { RedisClient } from 'src/common/redis.module';
import { APP_CONFIG, AppConfig } from 'src/config/app-config';

export type LockKind = 'account' | 'address';

export interface SignInLock {
  kind: LockKind;
  value: string;
  until: Date;
}

const attemptsKey = (kind: LockKind, value: string) => `signin:attempts:${kind}:${value}`;
const lockKey = (kind: LockKind, value: string) => `signin:lock:${kind}:${value}`;

/**
 * Reserves one sign-in attempt for an account and an address in one atomic step: refused while either is locked
 * or has used up its attempts in the window, otherwise counted before the password is checked. However many
 * requests arrive at once, no more than the limit of passwords is ever verified. A refused attempt verifies
 * nothing, so it costs neither allowance.
 * KEYS: account lock, address lock, account attempts, address attempts.
 * ARGV: window seconds, account limit, address limit.
 * Returns [allowed, retry after ms, account attempts, address attempts].
 */
const RESERVE_ATTEMPT = `
local lockTtl = math.max(redis.call('PTTL', KEYS[1]), redis.call('PTTL', KEYS[2]))
if lockTtl > 0 then return {0, lockTtl, 0, 0} end
local account = tonumber(redis.call('GET', KEYS[3]) or '0')
local address = tonumber(redis.call('GET', KEYS[4]) or '0')
if account >= tonumber(ARGV[2]) or address >= tonumber(ARGV[3]) then
  return {0, math.max(redis.call('PTTL', KEYS[3]), redis.call('PTTL', KEYS[4])), account, address}
end
redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[1], 'NX')
redis.call('INCR', KEYS[4])
redis.call('EXPIRE', KEYS[4], ARGV[1], 'NX')
return {1, 0, account + 1, address + 1}
`;

/** KEYS: account attempts, address attempts. */
const RELEASE_ATTEMPT = `
for _, key in ipairs(KEYS) do
  local count = tonumber(redis.call('GET', key) or '0')
  if count > 0 then redis.call('DECR', key) end
end
`;

/** What the throttle holds about one account: failed sign-ins in the current window, and its lock. */
export interface AccountThrottleState {
  failedAttempts: number;
  lockedUntil: Date | null;
}

export interface ReservedAttempt {
  accountAttempts: number;
  addressAttempts: number;
}

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

  /** Takes one attempt from the allowance of the account and of the address, or refuses when none is left. */
  async reserveAttempt(email: string, address: string): Promise<ReservedAttempt> {
    const [allowed, retryAfterMs, accountAttempts, addressAttempts] = (await this.redis.eval(
      RESERVE_ATTEMPT,
      4,
      lockKey('account', email),
      lockKey('address', address),
      attemptsKey('account', email),
      attemptsKey('address', address),
      this.policy.windowSeconds,
      this.policy.accountLockAfter,
      this.policy.addressLockAfter,
    )) as [number, number, number, number];
    if (allowed !== 1) throw lockedOut(retryAfterMs);
    return { accountAttempts, addressAttempts };
  }

  /** A reserved attempt failed: locks what has used up its allowance, and says how long to slow the answer. */
  async recordFailure(email: string, address: string, attempt: ReservedAttempt): Promise<FailureOutcome> {
    const outcome = failureOutcome(this.policy, attempt.accountAttempts, attempt.addressAttempts);
    if (outcome.lockAccount) await this.lock('account', email, attempt.accountAttempts);
    if (outcome.lockAddress) await this.lock('address', address, attempt.addressAttempts);
    return outcome;
  }

  /**
   * A successful sign-in gives its reserved attempt back to the account and the address, so only failures use up
   * the allowance: a training room signing in from one address uses nothing. Failures earlier in the window still
   * count, so the right password sent inside a burst of guesses does not buy the burst five more.
   */
  async recordSuccess(email: string, address: string): Promise<void> {
    await this.redis.eval(RELEASE_ATTEMPT, 2, attemptsKey('account', email), attemptsKey('address', address));
  }

  /** The refusal a sign-in gets once its account or address has been locked. */
  lockedOutFor(outcome: FailureOutcome): Refusal | null {
    return outcome.lockAccount || outcome.lockAddress ? lockedOut(this.policy.lockSeconds * 1000) : null;
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
    const removed = await this.forget(kind, value);
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

  /** What the throttle holds about an account, or null when it holds nothing (no failures in the window). */
  async accountState(email: string): Promise<AccountThrottleState | null> {
    const [attempts, lockTtl] = await Promise.all([
      this.redis.get(attemptsKey('account', email)),
      this.redis.pttl(lockKey('account', email)),
    ]);
    const failedAttempts = Number(attempts ?? 0);
    if (failedAttempts === 0 && lockTtl <= 0) return null;
    return { failedAttempts, lockedUntil: lockTtl > 0 ? new Date(Date.now() + lockTtl) : null };
  }

  /** Forgets an account's failures and lock; the keys name it by its address. Answers how many keys went. */
  forgetAccount(email: string): Promise<number> {
    return this.forget('account', email);
  }

  private forget(kind: LockKind, value: string): Promise<number> {
    return this.redis.del(lockKey(kind, value), attemptsKey(kind, value));
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

function lockedOut(retryAfterMs: number): Refusal {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return refuse(
    'SIGN_IN_LOCKED',
    `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or ask an administrator to lift the lock.`,
    { details: { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) } },
  );
}
